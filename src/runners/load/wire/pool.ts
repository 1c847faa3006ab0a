// A keep-alive pool of wire connections to one origin: up to `connections` sockets, each with one
// request in flight; a request waits only when all of them are busy. Deadlines are enforced by one
// sweep per pool instead of a timer per request (a timer per request costs as much as the request
// itself at wrk-class rates); a request may therefore run over its deadline by up to one sweep interval.
import { lookup as dnsLookup } from 'node:dns';
import { type PinMap, pinnedLookup } from '../../http/pinning.js';
import { type WireCallback, WireConnection, type WireEndpoint, type WireJob } from './connection.js';

export interface WirePoolOptions {
  pins: PinMap;
  /** Sockets the pool may open: one per concurrent iteration is what k6's VUs amount to. */
  connections: number;
  /** Per request, from the moment it is handed to the pool: connecting, sending and the whole answer. */
  timeoutMs: number;
  insecure?: boolean;
  ca?: string;
  /** How long a connection may sit idle before the pool closes it (default IDLE_MS). */
  idleMs?: number;
}

// Servers close keep-alive connections that have been idle a while (Node's http and Express, uvicorn,
// Apache: 5 s). A request written on one just as the server closes it gets no answer: a GET is sent
// again, but a POST is lost as a reset — on a healthy server, and most often after a stall (a busy
// machine), when the longest-idle connections at the bottom of the stack are all taken at once. So the
// pool closes them first, as undici (this engine's client before) did at the server's Keep-Alive hint
// minus 2 s: 3 s against Node's default. A/B blocks of a second still find their connections open.
const IDLE_MS = 3000;

export interface WireSend {
  bytes: Buffer;
  method: string;
  /** Collect the headers and body (requests with checks); otherwise they are parsed and dropped. */
  wantHeaders: boolean;
  wantBody: boolean;
}

export class WirePool {
  private readonly endpoint: WireEndpoint;
  private readonly idle: WireConnection[] = [];
  private readonly all = new Set<WireConnection>();
  private readonly waiting: WireJob[] = [];
  private waitingHead = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly sweepMs: number;
  private readonly idleMs: number;
  /** The latest performance.now() taken by a request or a sweep: stamps idle connections for free. */
  private clock = 0;
  private destroyed = false;

  constructor(
    origin: string,
    private readonly options: WirePoolOptions,
  ) {
    const url = new URL(origin);
    const tls = url.protocol === 'https:';
    if (!tls && url.protocol !== 'http:')
      throw new Error(`the load engine speaks http and https, not ${url.protocol}`);
    const port = Number(url.port || (tls ? 443 : 80));
    this.endpoint = {
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      tls,
      label: url.host,
      lookup: pinnedLookup(options.pins, port, dnsLookup as never) as never,
      timeoutMs: options.timeoutMs,
      rejectUnauthorized: options.insecure !== true,
      ...(options.ca ? { ca: options.ca } : {}),
    };
    this.sweepMs = Math.min(250, Math.max(5, Math.floor(options.timeoutMs / 10)));
    this.idleMs = options.idleMs ?? IDLE_MS;
  }

  /**
   * Sends one request; `done` is called exactly once, with the response or a classified failure. `now`
   * is the caller's performance.now() if it has just read it (a clock read per request saved).
   */
  request(send: WireSend, done: WireCallback, now = performance.now()): void {
    if (this.destroyed) {
      done({ kind: 'aborted', message: 'aborted' }, undefined);
      return;
    }
    this.clock = now;
    // Every field spelled out: an object spread here gave each job a fresh hidden class, and V8's
    // shape transitions cost more than the rest of the pool's per-request work together.
    const job: WireJob = {
      bytes: send.bytes,
      method: send.method,
      wantHeaders: send.wantHeaders,
      wantBody: send.wantBody,
      since: now,
      retried: false,
      done,
    };
    this.sweeper ??= setInterval(() => this.sweep(), this.sweepMs).unref();
    this.dispatch(job);
  }

  /** Closes every connection; requests in flight or waiting fail as aborted. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const job of this.waiting.splice(this.waitingHead))
      job.done({ kind: 'aborted', message: 'aborted' }, undefined);
    this.waitingHead = 0;
    // The lists are emptied first: each connection's `gone` then has nothing to search, which for
    // thousands of connections would be quadratic.
    const all = [...this.all];
    this.all.clear();
    for (const c of this.idle) c.idleSince = -1;
    this.idle.length = 0;
    for (const c of all) c.destroy();
  }

  private dispatch(job: WireJob): void {
    const free = this.idle.pop();
    if (free) {
      free.idleSince = -1;
      free.send(job);
    } else if (this.all.size < this.options.connections) this.connection().send(job);
    else this.waiting.push(job);
  }

  private connection(): WireConnection {
    const c = new WireConnection(
      this.endpoint,
      (free) => this.freed(free),
      (gone, retry) => this.gone(gone, retry),
    );
    this.all.add(c);
    return c;
  }

  private nextWaiting(): WireJob | undefined {
    if (this.waitingHead >= this.waiting.length) return undefined;
    const job = this.waiting[this.waitingHead++];
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
    return job;
  }

  private freed(c: WireConnection): void {
    if (this.destroyed) return;
    const job = this.nextWaiting();
    if (job) c.send(job);
    else {
      c.idleSince = this.clock;
      this.idle.push(c);
    }
  }

  private gone(c: WireConnection, retry: WireJob | undefined): void {
    this.all.delete(c);
    // Searched for only when it is there (idleSince is -1 otherwise): the idle list can be long. The
    // index is still checked: splice(-1, 1) would drop another connection, the last one on the list.
    if (c.idleSince >= 0) {
      const at = this.idle.indexOf(c);
      if (at >= 0) this.idle.splice(at, 1);
      c.idleSince = -1;
    }
    if (this.destroyed) {
      retry?.done({ kind: 'aborted', message: 'aborted' }, undefined);
      return;
    }
    const job = retry ?? this.nextWaiting();
    if (job) this.connection().send(job);
  }

  private sweep(): void {
    const now = performance.now();
    this.clock = now;
    const limit = this.options.timeoutMs;
    // Waiting requests first: a connection timed out below hands the next waiting request to a fresh
    // connection, so an expired one would be sent there only to be timed out in the same loop and
    // reported as "could not connect" — a connect failure the target never had.
    while (this.waitingHead < this.waiting.length && now - this.waiting[this.waitingHead]!.since >= limit) {
      const job = this.nextWaiting()!;
      job.done(
        { kind: 'timeout', message: `no connection to ${this.endpoint.label} free within ${limit} ms` },
        undefined,
      );
    }
    for (const c of this.all) {
      const since = c.since;
      if (since !== undefined && now - since >= limit) c.timeout();
    }
    // The idle list is a stack, so the connections idle longest lie at its start.
    let stale = 0;
    while (stale < this.idle.length && now - this.idle[stale]!.idleSince >= this.idleMs) stale++;
    if (stale > 0) {
      for (const c of this.idle.splice(0, stale)) {
        c.idleSince = -1;
        c.destroy();
      }
    }
    if (this.all.size === 0 && this.waitingHead >= this.waiting.length && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
