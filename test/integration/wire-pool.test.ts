// The load engine's keep-alive pool and connections (src/runners/load/wire) against real loopback
// servers: raw node:net servers where the exact bytes (or their absence) matter, node:http and
// node:https where a real HTTP server's behaviour is the point. Every request's callback must be called
// exactly once, with a response or a failure: afterEach checks that for every request a test sent,
// before and after its pool is destroyed.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WirePool, type WirePoolOptions, type WireSend } from '../../src/runners/load/wire/pool.js';
import { serialiseRequest } from '../../src/runners/load/wire/request-bytes.js';
import { freePort } from '../helpers/project.js';
import { makePki, type Pki } from '../helpers/tls.js';
import {
  type Outcome,
  type RawServer,
  type ReceivedRequest,
  rawServer,
  readRequests,
  sleep,
  type Tracked,
  tracked,
  until,
} from '../helpers/wire.js';

const cleanups: (() => unknown)[] = [];
let issued: Tracked[] = [];

afterEach(async () => {
  // A second call would come from a later event (a close, a sweep): give those a moment to happen.
  await sleep(30);
  const before = issued.map((t) => t.calls());
  const sent = issued;
  issued = [];
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await sleep(30);
  const after = sent.map((t) => t.calls());
  expect(before, 'callback calls per request before the pool was destroyed').toEqual(sent.map(() => 1));
  expect(after, 'callback calls per request after the pool was destroyed').toEqual(sent.map(() => 1));
});

function pool(origin: string, options: Partial<WirePoolOptions> = {}): WirePool {
  const p = new WirePool(origin, { pins: {}, connections: 4, timeoutMs: 2000, ...options });
  cleanups.push(() => p.destroy());
  return p;
}

async function server(
  onConnection: (socket: Socket, index: number) => void,
  host?: string,
): Promise<RawServer> {
  const s = await rawServer(onConnection, host);
  cleanups.push(() => s.close());
  return s;
}

function wire(
  method: string,
  path = '/',
  o: { body?: string; collect?: boolean; host?: string } = {},
): WireSend {
  const collect = o.collect ?? true;
  return {
    bytes: serialiseRequest({
      method,
      path,
      host: o.host ?? 'svc.test',
      headers: {},
      ...(o.body === undefined ? {} : { body: o.body }),
    }),
    method,
    wantHeaders: collect,
    wantBody: collect,
  };
}

/** Sends one request; its callback is tracked (see afterEach). */
function request(p: WirePool, s: WireSend): Promise<Outcome> {
  const t = tracked();
  issued.push(t);
  p.request(s, t.done);
  return t.outcome;
}

function ok(o: Outcome): { status: number; body: string; keepAlive: boolean } {
  expect(o.failure, 'a response, not a failure').toBeUndefined();
  expect(o.response).toBeDefined();
  return {
    status: o.response!.status,
    body: o.response!.body?.toString() ?? '',
    keepAlive: o.response!.keepAlive,
  };
}

function failed(o: Outcome): { kind: string; message: string } {
  expect(o.response, 'a failure, not a response').toBeUndefined();
  expect(o.failure).toBeDefined();
  return o.failure!;
}

const answer = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

async function httpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  keepAliveTimeout = 5000,
) {
  const s = createHttpServer(handler);
  s.keepAliveTimeout = keepAliveTimeout;
  let connections = 0;
  s.on('connection', () => connections++);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    s.closeAllConnections();
    return new Promise((resolve) => s.close(resolve));
  });
  return {
    server: s,
    origin: `http://127.0.0.1:${(s.address() as { port: number }).port}`,
    connections: () => connections,
  };
}

describe('keep-alive', () => {
  it('sends every request of a sequence over one connection to a real HTTP server, whatever the framing', async () => {
    const seen: { method: string; url: string; host: string; agent: string }[] = [];
    const s = await httpServer((req, res) => {
      seen.push({
        method: req.method!,
        url: req.url!,
        host: req.headers.host!,
        agent: req.headers['user-agent']!,
      });
      if (req.url === '/chunked') {
        res.write('first ');
        setTimeout(() => res.end('second'), 5);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else {
        res.setHeader('content-type', 'text/plain');
        res.end(`pong ${req.url}`);
      }
    });
    const p = pool(s.origin);
    expect(ok(await request(p, wire('GET', '/a')))).toEqual({
      status: 200,
      body: 'pong /a',
      keepAlive: true,
    });
    expect(ok(await request(p, wire('GET', '/chunked')))).toMatchObject({
      status: 200,
      body: 'first second',
    });
    expect(ok(await request(p, wire('HEAD', '/a')))).toEqual({ status: 200, body: '', keepAlive: true });
    expect(ok(await request(p, wire('GET', '/empty')))).toMatchObject({ status: 204, body: '' });
    expect(ok(await request(p, wire('POST', '/b', { body: '{"x":1}' })))).toMatchObject({ body: 'pong /b' });
    expect(ok(await request(p, wire('GET', '/c', { collect: false })))).toEqual({
      status: 200,
      body: '',
      keepAlive: true,
    });
    expect(s.connections()).toBe(1);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /a',
      'GET /chunked',
      'HEAD /a',
      'GET /empty',
      'POST /b',
      'GET /c',
    ]);
    expect(new Set(seen.map((r) => `${r.host} ${r.agent}`))).toEqual(new Set(['svc.test cutover-load']));
  });

  it('opens a new connection after Connection: close, and closes the old one itself', async () => {
    const s = await server((socket) =>
      readRequests(socket, (r) => socket.write(answer(`answer ${r.path}`, 'Connection: close\r\n'))),
    );
    const p = pool(s.origin);
    for (const path of ['/1', '/2', '/3']) {
      expect(ok(await request(p, wire('GET', path)))).toEqual({
        status: 200,
        body: `answer ${path}`,
        keepAlive: false,
      });
    }
    expect(s.accepted).toBe(3);
    await s.closedCount(3); // the server never closed one: the client did
  });

  it('reads an HTTP/1.0 answer until the server closes, then connects anew', async () => {
    const s = await server((socket) =>
      readRequests(socket, (r) => socket.end(`HTTP/1.0 200 OK\r\nServer: legacy\r\n\r\nold-style ${r.path}`)),
    );
    const p = pool(s.origin);
    expect(ok(await request(p, wire('GET', '/x')))).toEqual({
      status: 200,
      body: 'old-style /x',
      keepAlive: false,
    });
    expect(ok(await request(p, wire('GET', '/y')))).toEqual({
      status: 200,
      body: 'old-style /y',
      keepAlive: false,
    });
    expect(s.accepted).toBe(2);
  });

  it('drops a connection the server closed while idle and answers the next request on a new one', async () => {
    // As a server with a short keep-alive timeout does (node:http's rounds to whole seconds).
    const s = await server((socket) =>
      readRequests(socket, () => {
        socket.write(answer('ok'));
        setTimeout(() => socket.end(), 50);
      }),
    );
    const p = pool(s.origin);
    expect(ok(await request(p, wire('GET'))).status).toBe(200);
    await s.closedCount(1);
    expect(ok(await request(p, wire('GET'))).status).toBe(200);
    expect(s.accepted).toBe(2);
  });

  it('with several idle connections, drops only the one the server closed and reuses the others', async () => {
    // The server closes its second connection 50 ms after answering; the first and third stay open.
    const s = await server((socket, index) =>
      readRequests(socket, () => {
        setTimeout(() => {
          socket.write(answer(`c${index}`));
          if (index === 1) setTimeout(() => socket.end(), 50);
        }, 20);
      }),
    );
    const p = pool(s.origin, { connections: 3 });
    const first = await Promise.all([1, 2, 3].map(() => request(p, wire('GET'))));
    expect(first.map((o) => ok(o).status)).toEqual([200, 200, 200]);
    await s.closedCount(1);
    // Three at once again: two on the connections still open, one on a new connection.
    const second = await Promise.all([1, 2, 3].map(() => request(p, wire('GET'))));
    expect(second.map((o) => ok(o).body).sort()).toEqual(['c0', 'c2', 'c3']);
    expect(s.accepted).toBe(4);
    // And the pool's own bookkeeping after the reuse: one more round needs no connection.
    const third = await Promise.all([1, 2, 3].map(() => request(p, wire('GET'))));
    expect(third.map((o) => ok(o).body).sort()).toEqual(['c0', 'c2', 'c3']);
    expect(s.accepted).toBe(4);
  });

  it('keeps serving a chain of requests sent from callbacks when the server closes right after each answer', async () => {
    // The race every keep-alive client meets: the answer and the server's FIN arrive together, and the
    // next request is written before the FIN is seen. It must be sent again, not counted as a failure.
    let received = 0;
    const s = await server((socket) =>
      readRequests(socket, () => {
        received++;
        socket.end(answer('bye')); // no Connection: close — the server just hangs up
      }),
    );
    const p = pool(s.origin, { connections: 1 });
    const outcomes: (number | string)[] = [];
    await new Promise<void>((resolve) => {
      const next = () => {
        const t = tracked();
        issued.push(t);
        p.request(wire('GET'), (f, r) => {
          t.done(f, r);
          outcomes.push(f ? f.kind : r!.status);
          // Synchronously, from the callback: the connection's FIN may not have been read yet.
          if (outcomes.length < 10) next();
          else resolve();
        });
      };
      next();
    });
    expect(outcomes).toEqual(Array(10).fill(200));
    expect(received).toBeGreaterThanOrEqual(10);
    expect(received).toBeLessThanOrEqual(20); // each request at most twice
  });
});

describe('idle connections', () => {
  it('are closed by the pool before the server times them out, so a POST after a pause is not lost', async () => {
    // A server that times idle connections out after 500 ms. A request that arrives on one later is
    // what crosses the server's close on the wire: it is hung up on without an answer.
    const lastAnswer = new Map<Socket, number>();
    const s = await server((socket) =>
      readRequests(socket, () => {
        const last = lastAnswer.get(socket);
        if (last !== undefined && performance.now() - last > 500) return void socket.end();
        setTimeout(() => {
          socket.write(answer('ok'));
          lastAnswer.set(socket, performance.now());
        }, 20);
      }),
    );
    const p = pool(s.origin, { connections: 3, idleMs: 200 });
    const burst = () => Promise.all([1, 2, 3].map(() => request(p, wire('POST', '/', { body: 'x' }))));
    expect((await burst()).map((o) => ok(o).status)).toEqual([200, 200, 200]);
    await s.closedCount(3, 3000); // the pool closed them: the server never closes a connection itself
    await sleep(500);
    expect((await burst()).map((o) => ok(o).status)).toEqual([200, 200, 200]);
    expect(s.accepted).toBe(6);
  });

  it('are closed after 3 s by default, before node:http (5 s, +1 s in Node 20) or uvicorn (5 s) would', async () => {
    let closedAt = 0;
    const s = await httpServer((_req, res) => res.end('ok'));
    s.server.on('connection', (socket: Socket) => socket.on('close', () => (closedAt = performance.now())));
    const p = pool(s.origin);
    const sentAt = performance.now();
    const answeredAt = (await request(p, wire('GET'))).at;
    await until(() => closedAt > 0, 'the idle connection to close', 5500);
    // The pool stamps an idle connection with its latest clock reading: no earlier than the request.
    expect(closedAt - sentAt).toBeGreaterThanOrEqual(3000);
    expect(closedAt - answeredAt).toBeLessThan(4500); // a sweep (200 ms here) late, and then some
    expect(ok(await request(p, wire('GET'))).status).toBe(200);
    expect(s.connections()).toBe(2);
  });
});

describe('a reused connection the server closed before answering', () => {
  // The server answers the first request on each connection and hangs up on any later one without a
  // byte of answer: what a server that drops idle keep-alive connections does to a request that crossed
  // its close. `hangUp` is how: a FIN (end) or a RST (resetAndDestroy).
  async function oneAnswerPerConnection(
    hangUp: (socket: Socket) => void,
    answerFirstOn = (_i: number) => true,
  ) {
    const received: string[] = [];
    const s = await server((socket, connection) =>
      readRequests(socket, (r: ReceivedRequest) => {
        received.push(`${r.method} ${r.path} on ${connection}`);
        if (r.index === 0 && answerFirstOn(connection)) socket.write(answer(`${r.method} ${r.path}`));
        else hangUp(socket);
      }),
    );
    return { s, received };
  }

  for (const [how, hangUp, message] of [
    ['FIN', (s: Socket) => s.end(), 'closed the connection without answering'],
    ['RST', (s: Socket) => s.resetAndDestroy(), 'connection reset by'],
  ] as const) {
    it(`${how}: a GET is sent once more on a fresh connection and succeeds; a POST is reported as reset`, async () => {
      const { s, received } = await oneAnswerPerConnection(hangUp);
      const p = pool(s.origin, { connections: 1 });
      expect(ok(await request(p, wire('GET', '/a'))).body).toBe('GET /a');
      expect(ok(await request(p, wire('GET', '/b'))).body).toBe('GET /b');
      const post = failed(await request(p, wire('POST', '/c', { body: 'order=1' })));
      expect(post.kind).toBe('reset');
      expect(post.message).toContain(message);
      expect(post.message).toContain(`127.0.0.1:${s.port}`);
      expect(received).toEqual(['GET /a on 0', 'GET /b on 0', 'GET /b on 1', 'POST /c on 1']);
      expect(s.accepted).toBe(2);
    });
  }

  it('does not replay PUT or DELETE either (Go replays only GET, HEAD, OPTIONS and TRACE)', async () => {
    const { s, received } = await oneAnswerPerConnection((socket) => socket.end());
    const p = pool(s.origin, { connections: 1 });
    expect(ok(await request(p, wire('GET', '/a'))).body).toBe('GET /a');
    expect(failed(await request(p, wire('PUT', '/b', { body: 'x' }))).kind).toBe('reset');
    expect(ok(await request(p, wire('GET', '/c'))).body).toBe('GET /c');
    expect(failed(await request(p, wire('DELETE', '/d'))).kind).toBe('reset');
    expect(received).toEqual(['GET /a on 0', 'PUT /b on 0', 'GET /c on 1', 'DELETE /d on 1']);
  });

  it('retries once only: a fresh connection closed without answer is a reset', async () => {
    const { s, received } = await oneAnswerPerConnection(
      (socket) => socket.end(),
      (connection) => connection === 0,
    );
    const p = pool(s.origin, { connections: 1 });
    expect(ok(await request(p, wire('GET', '/a'))).status).toBe(200);
    const f = failed(await request(p, wire('GET', '/b')));
    expect(f).toEqual({
      kind: 'reset',
      message: `127.0.0.1:${s.port} closed the connection without answering`,
    });
    expect(received).toEqual(['GET /a on 0', 'GET /b on 0', 'GET /b on 1']);
  });

  it('does not send a GET again when a fresh connection is closed without answer (a broken server, not the race)', async () => {
    const { s, received } = await oneAnswerPerConnection(
      (socket) => socket.end(),
      () => false,
    );
    const f = failed(await request(pool(s.origin), wire('GET', '/a')));
    expect(f).toEqual({
      kind: 'reset',
      message: `127.0.0.1:${s.port} closed the connection without answering`,
    });
    expect(received).toEqual(['GET /a on 0']);
    expect(s.accepted).toBe(1);
  });

  it('does not send a GET again once any byte of its answer arrived', async () => {
    const CUT = 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\ncut';
    let received = 0;
    const s = await server((socket) =>
      readRequests(socket, (r) => {
        received++;
        if (r.index === 0) socket.write(answer('first'));
        else socket.end(CUT);
      }),
    );
    const p = pool(s.origin, { connections: 1 });
    expect(ok(await request(p, wire('GET'))).body).toBe('first');
    const f = failed(await request(p, wire('GET')));
    expect(f.kind).toBe('protocol');
    expect(f.message).toMatch(
      new RegExp(`the connection closed after ${CUT.length} bytes of an incomplete response$`),
    );
    expect(received).toBe(2);
  });
});

describe('failures', () => {
  it('a port nobody listens on is refused, naming host and port', async () => {
    const port = await freePort();
    const p = pool(`http://127.0.0.1:${port}`);
    expect(failed(await request(p, wire('GET')))).toEqual({
      kind: 'refused',
      message: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it('a server that accepts and never answers times out, naming host and milliseconds, and is disconnected', async () => {
    const s = await server((socket) => socket.resume());
    const p = pool(s.origin, { timeoutMs: 150 });
    const sent = performance.now();
    const o = await request(p, wire('GET'));
    expect(failed(o)).toEqual({
      kind: 'timeout',
      message: `no answer from 127.0.0.1:${s.port} within 150 ms`,
    });
    expect(o.at - sent).toBeGreaterThanOrEqual(150);
    expect(o.at - sent).toBeLessThan(2000); // one sweep late at most; this only bounds the test
    await s.closedCount(1);
  });

  it('an https request to a server that never completes the handshake times out as a connect timeout', async () => {
    const s = await server((socket) => socket.resume()); // plain TCP: the ClientHello is never answered
    const p = pool(`https://127.0.0.1:${s.port}`, { timeoutMs: 150 });
    expect(failed(await request(p, wire('GET')))).toEqual({
      kind: 'timeout',
      message: `could not connect to 127.0.0.1:${s.port} within 150 ms`,
    });
  });

  it('a body cut off by the server closing is a protocol error; cut off by a reset, a reset', async () => {
    const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789';
    const fin = await server((socket) => readRequests(socket, () => socket.end(partial)));
    const f = failed(await request(pool(fin.origin), wire('GET')));
    expect(f).toEqual({
      kind: 'protocol',
      message: `malformed HTTP response from 127.0.0.1:${fin.port}: the connection closed after ${partial.length} bytes of an incomplete response`,
    });

    const rst = await server((socket) =>
      readRequests(socket, () => {
        socket.write(partial);
        setTimeout(() => socket.resetAndDestroy(), 30); // after the partial body went out
      }),
    );
    expect(failed(await request(pool(rst.origin), wire('GET')))).toEqual({
      kind: 'reset',
      message: `connection reset by 127.0.0.1:${rst.port}`,
    });
  });

  it('a hostile server sending an endless head gets a protocol error and its connection closed', async () => {
    let written = 0;
    const LIMIT = 8 * 1024 * 1024; // bounds the test if the client never gave up
    const junk = Buffer.from('X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(256));
    const s = await server((socket) =>
      readRequests(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const pump = () => {
          while (!socket.destroyed && written < LIMIT) {
            written += junk.length;
            if (!socket.write(junk)) return void socket.once('drain', pump);
          }
        };
        pump();
      }),
    );
    const f = failed(await request(pool(s.origin), wire('GET')));
    expect(f).toEqual({
      kind: 'protocol',
      message: `malformed HTTP response from 127.0.0.1:${s.port}: response head larger than 65536 bytes`,
    });
    await s.closedCount(1);
    expect(written).toBeLessThan(LIMIT);
  });

  it('classifies malformed, switched-protocol and unframed-garbage answers as protocol errors and closes', async () => {
    const answers: [string, string][] = [
      ['SSH-2.0-OpenSSH_9.2\r\n\r\n', 'not an HTTP/1.x status line: "SSH-2.0-OpenSSH_9.2"'],
      ['HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n', 'the server switched protocols (101)'],
      [
        'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
        'conflicting Content-Length values',
      ],
      ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'malformed chunk-size line'],
    ];
    for (const [bytes, reason] of answers) {
      const s = await server((socket) => readRequests(socket, () => socket.write(bytes)));
      const f = failed(await request(pool(s.origin), wire('GET')));
      expect(f.kind, bytes).toBe('protocol');
      expect(f.message, bytes).toContain(`malformed HTTP response from 127.0.0.1:${s.port}: ${reason}`);
      await s.closedCount(1); // the server left it open; the client closed it
    }
  });

  it('reaches an IPv6 literal origin, and names it with brackets when refused', async () => {
    const s = await server((socket) => readRequests(socket, () => socket.write(answer('six'))), '::1');
    expect(s.origin).toBe(`http://[::1]:${s.port}`);
    expect(ok(await request(pool(s.origin), wire('GET'))).body).toBe('six');
    const port = await freePort('::1');
    expect(failed(await request(pool(`http://[::1]:${port}`), wire('GET')))).toEqual({
      kind: 'refused',
      message: `connection refused by [::1]:${port}`,
    });
  });

  it('drops a connection that sends data while idle, without calling anyone, and serves the next request', async () => {
    const s = await server((socket, connection) =>
      readRequests(socket, () => {
        socket.write(answer('ok'));
        if (connection === 0) setTimeout(() => socket.write(answer('nobody asked')), 20);
      }),
    );
    const p = pool(s.origin);
    expect(ok(await request(p, wire('GET'))).body).toBe('ok');
    await s.closedCount(1); // the client hung up on the unsolicited answer
    expect(ok(await request(p, wire('GET'))).body).toBe('ok');
    expect(s.accepted).toBe(2);
  });

  it('does not reuse a connection that answered one request twice', async () => {
    const s = await server((socket) =>
      readRequests(socket, () => socket.write(answer('one') + answer('two'))),
    );
    const p = pool(s.origin);
    expect(ok(await request(p, wire('GET')))).toEqual({ status: 200, body: 'one', keepAlive: false });
    expect(ok(await request(p, wire('GET'))).body).toBe('one');
    expect(s.accepted).toBe(2);
  });
});

describe('https', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
  });

  async function httpsServer(name: string, key: { key: string; cert: string }) {
    const names: (string | false | null)[] = [];
    const hosts: string[] = [];
    let connections = 0;
    const big = Buffer.alloc(300 * 1024, 'tls-body/');
    const s = createHttpsServer(key, (req, res) => {
      hosts.push(req.headers.host!);
      res.end(req.url === '/big' ? big : 'secure');
    });
    s.on('secureConnection', (socket: TLSSocket) => {
      connections++;
      names.push(socket.servername);
    });
    s.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    });
    const port = (s.address() as { port: number }).port;
    return { origin: `https://${name}:${port}`, port, names, hosts, connections: () => connections, big };
  }

  it('refuses a certificate it cannot verify as a tls failure', async () => {
    const s = await httpsServer('svc.cutover.test', pki.leaf('svc.cutover.test', 5));
    const p = pool(s.origin, { pins: { 'svc.cutover.test': '127.0.0.1' } });
    const f = failed(await request(p, wire('GET', '/', { host: `svc.cutover.test:${s.port}` })));
    expect(f.kind).toBe('tls');
    expect(f.message).toMatch(/^TLS error: .*(certificate|issuer)/i);
  });

  it('refuses a trusted certificate for another name as a tls failure', async () => {
    const s = await httpsServer('svc.cutover.test', pki.leaf('other.cutover.test', 5));
    const p = pool(s.origin, { pins: { 'svc.cutover.test': '127.0.0.1' }, ca: pki.caCert });
    const f = failed(await request(p, wire('GET', '/', { host: `svc.cutover.test:${s.port}` })));
    expect(f.kind).toBe('tls');
    expect(f.message).toContain('svc.cutover.test');
  });

  it('with the CA, reaches a pinned name over one kept-alive connection, sending the name as SNI and Host', async () => {
    const s = await httpsServer('svc.cutover.test', pki.leaf('svc.cutover.test', 5));
    const p = pool(s.origin, { pins: { 'svc.cutover.test': '127.0.0.1' }, ca: pki.caCert });
    const host = `svc.cutover.test:${s.port}`;
    expect(ok(await request(p, wire('GET', '/', { host })))).toEqual({
      status: 200,
      body: 'secure',
      keepAlive: true,
    });
    const big = ok(await request(p, wire('GET', '/big', { host })));
    expect(big.body).toBe(s.big.toString());
    expect(s.connections()).toBe(1);
    expect(s.names).toEqual(['svc.cutover.test']);
    expect(s.hosts).toEqual([host, host]);
  });

  it('https to a plain-HTTP port is a tls failure; http to an https port that hangs up, a reset', async () => {
    const plain = await httpServer((_req, res) => res.end('plain'));
    const tlsToPlain = failed(await request(pool(plain.origin.replace('http:', 'https:')), wire('GET')));
    expect(tlsToPlain.kind).toBe('tls');
    expect(tlsToPlain.message).toMatch(/^TLS error: /);

    // node's TLS server closes on a plain-text request without a byte of answer.
    const s = await httpsServer('127.0.0.1', pki.leaf('127.0.0.1', 5));
    expect(failed(await request(pool(s.origin.replace('https:', 'http:')), wire('GET')))).toEqual({
      kind: 'reset',
      message: `127.0.0.1:${s.port} closed the connection without answering`,
    });
  });

  it('insecure: accepts a self-signed certificate', async () => {
    const s = await httpsServer('svc.cutover.test', pki.selfSigned('svc.cutover.test', 5));
    const p = pool(s.origin, { pins: { 'svc.cutover.test': '127.0.0.1' }, insecure: true });
    expect(ok(await request(p, wire('GET'))).body).toBe('secure');
  });
});

describe('waiting, deadlines and destroy', () => {
  it('queues a request while every connection is busy and sends it on the connection that frees up', async () => {
    const order: string[] = [];
    const s = await server((socket) =>
      readRequests(socket, (r) => {
        order.push(`received ${r.path}`);
        setTimeout(() => {
          order.push(`answered ${r.path}`);
          socket.write(answer(r.path));
        }, 40);
      }),
    );
    const p = pool(s.origin, { connections: 1 });
    const [a, b] = await Promise.all([request(p, wire('GET', '/a')), request(p, wire('GET', '/b'))]);
    expect([ok(a).body, ok(b).body]).toEqual(['/a', '/b']);
    expect(a.at).toBeLessThan(b.at);
    expect(order).toEqual(['received /a', 'answered /a', 'received /b', 'answered /b']);
    expect(s.accepted).toBe(1);
  });

  it('a request that waited for a connection past its deadline times out as waiting, opening no connection', async () => {
    // The three requests must share one deadline sweep, as requests queued together under load do. With
    // real clocks that depends on where the sweep falls; the pool's clock and sweep timer are faked
    // (sockets and every other timer stay real) so all three are handed over at the same instant.
    let received = 0;
    const s = await server((socket) => readRequests(socket, () => received++)); // never answers
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const p = pool(s.origin, { connections: 1, timeoutMs: 150 });
      const pending = [1, 2, 3].map(() => request(p, wire('GET')));
      await until(() => received >= 1, 'the first request at the server');
      vi.advanceTimersByTime(150);
      expect((await Promise.all(pending)).map((o) => failed(o))).toEqual([
        { kind: 'timeout', message: `no answer from 127.0.0.1:${s.port} within 150 ms` },
        { kind: 'timeout', message: `no connection to 127.0.0.1:${s.port} free within 150 ms` },
        { kind: 'timeout', message: `no connection to 127.0.0.1:${s.port} free within 150 ms` },
      ]);
    } finally {
      vi.useRealTimers();
    }
    await sleep(50);
    expect(s.accepted).toBe(1);
    expect(received).toBe(1);
  });

  it('destroy() fails the request in flight and the waiting ones as aborted, once, and later ones at once', async () => {
    let received = 0;
    const s = await server((socket) => readRequests(socket, () => received++)); // never answers
    const p = new WirePool(s.origin, { pins: {}, connections: 1, timeoutMs: 200 });
    const inFlight = request(p, wire('GET', '/1'));
    const waiting = [request(p, wire('GET', '/2')), request(p, wire('POST', '/3', { body: 'x' }))];
    await until(() => received >= 1, 'the first request at the server');
    p.destroy();
    p.destroy(); // twice is harmless
    const aborted = { kind: 'aborted', message: 'aborted' };
    expect(failed(await inFlight)).toEqual(aborted);
    for (const w of waiting) expect(failed(await w)).toEqual(aborted);
    const t = tracked();
    issued.push(t);
    p.request(wire('GET'), t.done);
    expect(t.calls()).toBe(1); // synchronously
    expect(failed(await t.outcome)).toEqual(aborted);
    await s.closedCount(1);
    await sleep(300); // past the deadline: no sweep may report a timeout now
    expect(received).toBe(1);
  });
});

describe('destroy from a callback', () => {
  it('aborts the others exactly once when a callback destroys the pool', async () => {
    const s = await server((socket) =>
      readRequests(socket, (r) => {
        if (r.path === '/fast') socket.write(answer('fast'));
      }),
    );
    const p = pool(s.origin, { connections: 2 });
    const slow = request(p, wire('GET', '/slow')); // never answered: in flight on connection 0
    const fast = tracked();
    issued.push(fast);
    p.request(wire('GET', '/fast'), (f, r) => {
      fast.done(f, r);
      p.destroy(); // re-entrant: from inside connection 1's own answer
    });
    const queued = request(p, wire('GET', '/queued')); // both connections busy: waits
    expect(ok(await fast.outcome).body).toBe('fast');
    const aborted = { kind: 'aborted', message: 'aborted' };
    expect(failed(await slow)).toEqual(aborted);
    expect(failed(await queued)).toEqual(aborted);
    expect(s.accepted).toBe(2);
    await s.closedCount(2);
  });
});

describe('the shared read buffer', () => {
  it('keeps large bodies of concurrent connections apart, byte for byte', async () => {
    const bodies = [0, 1, 2].map((n) =>
      Buffer.from(Array.from({ length: 700_000 }, (_, i) => (i * (n + 3)) % 251)),
    );
    const servers = await Promise.all(
      bodies.map((body) =>
        server((socket) =>
          readRequests(socket, () => {
            socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
            // Uneven writes, so reads of the different connections interleave at odd offsets.
            for (let at = 0; at < body.length; ) {
              const n = 1 + ((at * 7919) % 50_000);
              socket.write(body.subarray(at, at + n));
              at += n;
            }
          }),
        ),
      ),
    );
    const outcomes = await Promise.all(
      servers.flatMap((s) => {
        const p = pool(s.origin, { connections: 2 });
        return [request(p, wire('GET')), request(p, wire('GET'))];
      }),
    );
    outcomes.forEach((o, i) => {
      expect(o.failure).toBeUndefined();
      expect(o.response!.body!.equals(bodies[Math.floor(i / 2)]!), `body ${i}`).toBe(true);
    });
  });
});
