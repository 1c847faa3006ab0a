// Undoes a response's Content-Encoding before a scenario reads the body, as k6 does before a script
// reads `r.body`: a scenario that asks for `accept-encoding: gzip` and checks the JSON it gets works on
// both load engines, and an integration step compares what the services said, not how a proxy
// packed it. The load engine's wire client decodes only the bodies it keeps, those that checks read, so
// its load path pays nothing for it. node:zlib has every coding k6 decodes — gzip, deflate, br, and zstd
// where the running Node has it (22.15+) — so nothing here is hand-written but the header's reading.
import * as zlib from 'node:zlib';
import { probeError } from './errors.js';

type Decoder = (input: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Buffer;

// zstdDecompressSync is newer than the @types/node this project builds against (Node 20's).
const zstd = (zlib as unknown as { zstdDecompressSync?: Decoder }).zstdDecompressSync;

/**
 * deflate is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate; browsers
 * and curl accept both. A zlib stream starts with a header whose method nibble is 8 and whose first
 * two bytes are a multiple of 31 (RFC 1950 §2.2); anything else is taken as raw deflate.
 */
const inflateAny: Decoder = (input, options) => {
  const cmf = input[0] ?? 0;
  const wrapped = (cmf & 0x0f) === 8 && ((cmf << 8) | (input[1] ?? 0)) % 31 === 0;
  return wrapped ? zlib.inflateSync(input, options) : zlib.inflateRawSync(input, options);
};

// A Map, not an object literal: a coding the server names is looked up as it came, and `constructor`
// or `toString` must be unknown codings, not Object.prototype's functions.
const DECODERS = new Map<string, Decoder>([
  ['gzip', zlib.gunzipSync],
  ['x-gzip', zlib.gunzipSync],
  ['deflate', inflateAny],
  ['br', zlib.brotliDecompressSync],
  ...(zstd ? [['zstd', zstd] as const] : []),
]);

/**
 * The body as the server meant it: each coding of `contentEncoding` undone, the last applied first.
 * Throws a `protocol` error (probeError) for a coding it does not know or a body that does not decode,
 * and for one that decodes to more than `maxBytes` (a compression bomb stays bounded).
 */
export function decodeContent(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  // A HEAD answer, a 204 or a 304 names the coding of a body it does not carry.
  if (!contentEncoding || body.length === 0) return body;
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let out = body;
  for (const coding of codings.reverse()) {
    const decode = DECODERS.get(coding);
    if (!decode) throw probeError('protocol', `unsupported Content-Encoding "${coding.slice(0, 40)}"`);
    try {
      out = decode(out, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw probeError(
        'protocol',
        tooLarge
          ? `${coding} body decodes to more than ${maxBytes} bytes`
          : `${coding} body does not decode: ${(error as Error).message}`,
      );
    }
  }
  return out;
}
