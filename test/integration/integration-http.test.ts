// An integration step's request reads the body as the service meant it: a proxy's compression (nginx's
// gzip, Traefik's compress middleware) must not make the same answer differ between environments.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendApiRequest } from '../../src/runners/http/request.js';

const answer = '{"status":"healthy","items":[1,2,3]}';
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const coded: Record<string, [string, Buffer | string]> = {
      '/gzip': ['gzip', gzipSync(answer)],
      '/br': ['br', brotliCompressSync(answer)],
      '/lying': ['gzip', answer],
    };
    const [coding, body] = coded[req.url ?? ''] ?? ['identity', answer];
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const options = {
  timeoutMs: 2000,
  maxBodyBytes: 1024 * 1024,
  maxRedirects: 0,
  pins: {},
  insecure: false,
  allowedOrigins: new Set<string>(),
};
const get = (path: string) =>
  sendApiRequest(
    { method: 'GET', url: `${base}${path}`, headers: { 'accept-encoding': 'gzip, br' } },
    options,
  );

describe('integration requests and Content-Encoding', () => {
  it('undoes gzip and brotli, and leaves an identity body as it came', async () => {
    for (const path of ['/gzip', '/br', '/plain']) {
      const r = await get(path);
      expect(r.ok && r.body.toString()).toBe(answer);
    }
  });

  it('reports a body that does not decode as a protocol failure naming the host', async () => {
    const r = await get('/lying');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({
      kind: 'protocol',
      message: expect.stringMatching(/^malformed answer from 127\.0\.0\.1:\d+: gzip body does not decode/),
    });
  });
});
