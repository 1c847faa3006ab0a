// Test helpers for the load engine's wire client (src/runners/load/wire): raw loopback servers whose
// bytes the test writes itself (node:http would normalise exactly what these tests need to get wrong),
// a reader for the requests such a server receives, and callbacks that count how often they are called.
import { createServer, type Server, type Socket } from 'node:net';
import type { WireCallback, WireFailure } from '../../src/runners/load/wire/connection.js';
import type { ParsedResponse } from '../../src/runners/load/wire/response-parser.js';

export interface RawServer {
  port: number;
  /** http://host:port */
  origin: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections the client (or the server) has closed so far. */
  readonly closed: number;
  /** Resolves once `n` connections have closed (whoever closed them); rejects after `withinMs`. */
  closedCount(n: number, withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A TCP server on `host` that hands every accepted socket (and its 0-based index) to `onConnection`. */
export async function rawServer(
  onConnection: (socket: Socket, index: number) => void,
  host = '127.0.0.1',
): Promise<RawServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closed = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}); // resets are what several tests provoke
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
    onConnection(socket, accepted++);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    get accepted() {
      return accepted;
    },
    get closed() {
      return closed;
    },
    closedCount(n, withinMs = 5000) {
      return until(() => closed >= n, `${n} closed connections (${closed} so far)`, withinMs);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  /** 0 for the first request on its connection. */
  index: number;
}

/**
 * Calls `onRequest` for every complete request that arrives on `socket` (heads up to the blank line,
 * then a Content-Length body). Deliberately small: the client under test only sends such requests.
 */
export function readRequests(socket: Socket, onRequest: (r: ReceivedRequest) => void): void {
  let pending = Buffer.alloc(0);
  let index = 0;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const at = pending.indexOf('\r\n\r\n');
      if (at < 0) return;
      const lines = pending.toString('latin1', 0, at).split('\r\n');
      const [method = '', path = ''] = lines[0]!.split(' ');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (pending.length < at + 4 + length) return;
      const body = pending.toString('utf8', at + 4, at + 4 + length);
      pending = pending.subarray(at + 4 + length);
      onRequest({ method, path, headers, body, index: index++ });
    }
  });
}

export interface Outcome {
  failure: WireFailure | undefined;
  response: ParsedResponse | undefined;
  /** When the callback was first called (performance.now()). */
  at: number;
}

export interface Tracked {
  done: WireCallback;
  /** The first call's arguments. */
  outcome: Promise<Outcome>;
  /** How often the callback has been called so far. */
  calls(): number;
}

/** A callback that records its first call and counts every call, for "called exactly once" assertions. */
export function tracked(): Tracked {
  let calls = 0;
  let resolve!: (o: Outcome) => void;
  const outcome = new Promise<Outcome>((r) => (resolve = r));
  return {
    done(failure, response) {
      calls++;
      resolve({ failure, response, at: performance.now() });
    },
    outcome,
    calls: () => calls,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `condition` holds (polled every 5 ms); rejects naming `what` after `withinMs`. */
export async function until(condition: () => boolean, what: string, withinMs = 5000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waited ${withinMs} ms for ${what}`);
    await sleep(5);
  }
}
