// The HTTP probe against real hostile servers on loopback: every failure comes back classified, never thrown.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/runners/http/probe.js';
import { freePort } from '../helpers/project.js';
import { makePki, type Pki } from '../helpers/tls.js';

const servers: { close(): unknown }[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

function listen<T extends net.Server>(server: T, host = '127.0.0.1'): Promise<{ server: T; port: number }> {
  servers.push(server);
  if (server instanceof http.Server) server.keepAliveTimeout = 100;
  return new Promise((done) =>
    server.listen(0, host, () => done({ server, port: (server.address() as net.AddressInfo).port })),
  );
}

const opts = { timeoutMs: 800, maxBodyBytes: 1024 * 1024 };

describe('probe', () => {
  it('returns status, headers, body and timing for a normal answer', async () => {
    const { port } = await listen(
      http.createServer((_q, s) =>
        s.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      ),
    );
    const r = await probe(`http://127.0.0.1:${port}/health`, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('{"ok":true}');
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it('classifies a refused connection', async () => {
    const port = await freePort();
    const r = await probe(`http://127.0.0.1:${port}/`, opts);
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('classifies a DNS failure', async () => {
    const r = await probe('http://no-such-host.invalid/', opts);
    expect(r).toMatchObject({ ok: false, error: { kind: 'dns' } });
    if (!r.ok) expect(r.error.message).toContain('no-such-host.invalid');
  });

  it('gives up at the deadline on a server that never answers', async () => {
    const { port } = await listen(net.createServer(() => {}));
    const r = await probe(`http://127.0.0.1:${port}/`, { ...opts, timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(r.elapsedMs).toBeLessThan(5000);
  });

  it('gives up at the deadline on a body that trickles forever', async () => {
    const { port } = await listen(
      http.createServer((_q, s) => {
        s.writeHead(200);
        const t = setInterval(() => s.write('x'), 50);
        s.on('close', () => clearInterval(t));
      }),
    );
    const r = await probe(`http://127.0.0.1:${port}/`, { ...opts, timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' }, status: 200 });
  });

  it('classifies a reset connection', async () => {
    const { port } = await listen(net.createServer((socket) => socket.resetAndDestroy()));
    const r = await probe(`http://127.0.0.1:${port}/`, opts);
    expect(r).toMatchObject({ ok: false, error: { kind: 'reset' } });
  });

  it('classifies a malformed HTTP response', async () => {
    const { port } = await listen(net.createServer((socket) => socket.end('NOT HTTP AT ALL\r\n\r\n')));
    const r = await probe(`http://127.0.0.1:${port}/`, opts);
    expect(r).toMatchObject({ ok: false, error: { kind: 'protocol' } });
  });

  it('stops reading a 10 MB body at the cap', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'a');
    const { port } = await listen(http.createServer((_q, s) => s.end(big)));
    const r = await probe(`http://127.0.0.1:${port}/`, { ...opts, timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'too-large' }, status: 200 });
  });

  it('finds a body just over the cap too large even when it arrives whole in one read', async () => {
    // 5000 bytes in one write: the parser sees the end of the message in the read that crosses the cap,
    // and the answer used to come back as an empty 200.
    const { port } = await listen(http.createServer((_q, s) => s.end('x'.repeat(5000))));
    const r = await probe(`http://127.0.0.1:${port}/`, { ...opts, maxBodyBytes: 1024 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'too-large' }, status: 200 });
  });

  it('connects to a pinned address while keeping the host name', async () => {
    let host = '';
    const { port } = await listen(
      http.createServer((q, s) => {
        host = q.headers.host ?? '';
        s.end('ok');
      }),
      '127.0.0.2',
    );
    const r = await probe(`http://api.k8s.example.test:${port}/`, {
      ...opts,
      pins: { '*.k8s.example.test': '127.0.0.2' },
    });
    expect(r).toMatchObject({ ok: true, status: 200, remoteAddress: '127.0.0.2' });
    expect(host).toBe(`api.k8s.example.test:${port}`);
  });

  it('stops at once when aborted', async () => {
    const { port } = await listen(net.createServer(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await probe(`http://127.0.0.1:${port}/`, {
      ...opts,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    expect(r.ok).toBe(false);
    expect(r.elapsedMs).toBeLessThan(5000);
  });
});

describe('probe over TLS', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
  });

  it('reports a trusted certificate with its expiry, via SNI on a pinned host', async () => {
    const { key, cert } = pki.leaf('rentguy.sevensa.test', 30);
    const { port } = await listen(https.createServer({ key, cert }, (_q, s) => s.end('ok')));
    const r = await probe(`https://rentguy.sevensa.test:${port}/`, {
      ...opts,
      pins: { 'rentguy.sevensa.test': '127.0.0.1' },
      ca: pki.caCert,
    });
    expect(r.ok).toBe(true);
    expect(r.tls).toMatchObject({ authorized: true, subject: 'rentguy.sevensa.test' });
    expect(r.tls!.daysToExpiry).toBeGreaterThanOrEqual(29);
    expect(r.tls!.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('records an untrusted certificate instead of failing the request', async () => {
    const { key, cert } = pki.selfSigned('self.sevensa.test', 30);
    const { port } = await listen(https.createServer({ key, cert }, (_q, s) => s.end('ok')));
    const r = await probe(`https://self.sevensa.test:${port}/`, {
      ...opts,
      pins: { 'self.sevensa.test': '127.0.0.1' },
    });
    expect(r.ok).toBe(true);
    expect(r.tls).toMatchObject({ authorized: false });
    expect(r.tls!.authorizationError).toMatch(/SELF_SIGNED/);
  });

  it('records a certificate for the wrong host name as untrusted', async () => {
    const { key, cert } = pki.leaf('other.sevensa.test', 30);
    const { port } = await listen(https.createServer({ key, cert }, (_q, s) => s.end('ok')));
    const r = await probe(`https://rentguy.sevensa.test:${port}/`, {
      ...opts,
      pins: { 'rentguy.sevensa.test': '127.0.0.1' },
      ca: pki.caCert,
    });
    expect(r.tls).toMatchObject({ authorized: false });
  });
});
