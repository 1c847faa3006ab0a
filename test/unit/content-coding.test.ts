// Content-Encoding undone for checks and integration steps: every coding k6 decodes, in the order the
// header lists them, and a coding that is unknown, corrupt or decodes past the cap is a protocol error.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContent } from '../../src/runners/http/content-coding.js';

const text = JSON.stringify({ items: Array.from({ length: 50 }, (_, id) => ({ id, name: `item ${id}` })) });
const plain = Buffer.from(text);
const MB = 1024 * 1024;
const zstdCompress = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;

describe('decodeContent', () => {
  it('returns the body as it is without a coding, or with identity', () => {
    expect(decodeContent(plain, undefined, MB)).toBe(plain);
    expect(decodeContent(plain, 'identity', MB).toString()).toBe(text);
  });

  it('decodes gzip, x-gzip, brotli and deflate, zlib-wrapped or raw as some servers send it', () => {
    expect(decodeContent(zlib.gzipSync(plain), 'gzip', MB).toString()).toBe(text);
    expect(decodeContent(zlib.gzipSync(plain), 'X-Gzip', MB).toString()).toBe(text);
    expect(decodeContent(zlib.brotliCompressSync(plain), 'br', MB).toString()).toBe(text);
    expect(decodeContent(zlib.deflateSync(plain), 'deflate', MB).toString()).toBe(text);
    expect(decodeContent(zlib.deflateRawSync(plain), 'deflate', MB).toString()).toBe(text);
  });

  it.skipIf(!zstdCompress)('decodes zstd where the running Node has it', () => {
    expect(decodeContent(zstdCompress!(plain), 'zstd', MB).toString()).toBe(text);
  });

  it('undoes several codings, the last applied first', () => {
    const twice = zlib.brotliCompressSync(zlib.gzipSync(plain));
    expect(decodeContent(twice, 'gzip, br', MB).toString()).toBe(text);
    expect(() => decodeContent(twice, 'br, gzip', MB)).toThrow(/gzip body does not decode/);
  });

  it('leaves an empty body alone: HEAD, 204 and 304 answers name a coding they do not carry', () => {
    expect(decodeContent(Buffer.alloc(0), 'gzip', MB).length).toBe(0);
  });

  it('refuses an unknown coding, a corrupt body and a compression bomb as protocol errors', () => {
    expect(() => decodeContent(plain, 'compress', MB)).toThrow(
      expect.objectContaining({ kind: 'protocol', message: 'unsupported Content-Encoding "compress"' }),
    );
    // Lower-case names that an object literal would find on Object.prototype.
    for (const name of ['constructor', '__proto__'])
      expect(() => decodeContent(plain, name, MB)).toThrow(`unsupported Content-Encoding "${name}"`);
    expect(() => decodeContent(plain, 'gzip', MB)).toThrow(
      expect.objectContaining({
        kind: 'protocol',
        message: expect.stringMatching(/^gzip body does not decode/),
      }),
    );
    const bomb = zlib.gzipSync(Buffer.alloc(64 * MB));
    expect(bomb.length).toBeLessThan(MB);
    expect(() => decodeContent(bomb, 'gzip', MB)).toThrow(
      expect.objectContaining({ kind: 'protocol', message: `gzip body decodes to more than ${MB} bytes` }),
    );
  });
});
