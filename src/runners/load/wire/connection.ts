// One keep-alive HTTP/1.1 connection of the load engine: at most one request in flight (no
// pipelining, as k6 and wrk send), the response parsed as it arrives, every failure classified.
// Plain TCP connections read with `onread` into one buffer shared by the thread: no stream 'data'
// events and no Buffer per read, which is most of what a socket costs Node per response.
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { decodeContent } from '../../http/content-coding.js';
import { classifyError } from '../../http/errors.js';
import type { ErrorClass } from '../recorder.js';
import {
  DEFAULT_LIMITS,
  type ParsedResponse,
  ResponseParseError,
  ResponseParser,
} from './response-parser.js';

export interface WireEndpoint {
  /** The URL's host name (no brackets): looked up through `lookup`, sent as SNI. */
  hostname: string;
  port: number;
  tls: boolean;
  /** host:port as the report names it. */
  label: string;
  lookup: (hostname: string, options: object, callback: (...args: never[]) => void) => void;
  timeoutMs: number;
  rejectUnauthorized: boolean;
  ca?: string;
}

export interface WireFailure {
  kind: ErrorClass | 'aborted';
  message: string;
}

export type WireCallback = (failure: WireFailure | undefined, response: ParsedResponse | undefined) => void;

export interface WireJob {
  bytes: Buffer;
  method: string;
  wantHeaders: boolean;
  wantBody: boolean;
  /** When the job was handed to the pool (performance.now()), for its deadline. */
  since: number;
  /** Set once the job was retried on a fresh connection. */
  retried: boolean;
  done: WireCallback;
}

// Thread-wide read buffer. Safe to share: `onread` hands each read to the parser synchronously, and the
// parser copies whatever it keeps.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

// Requests that are safe to send twice and carry no body: those are retried once when a reused
// connection turns out to have been closed by the server before it read them — the race every keep-alive
// client meets when a server drops idle connections. These are the methods Go's net/http (and so k6)
// replays; PUT and DELETE are idempotent too, but Go does not replay them and neither do we.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export class WireConnection {
  private socket: Socket | undefined;
  private readonly parser: ResponseParser;
  private job: WireJob | undefined;
  private connected = false;
  private served = 0;
  closed = false;
  /**
   * When the pool put it on its idle list (the pool's clock), to close it before the server does; -1
   * while it is not on that list.
   */
  idleSince = -1;

  constructor(
    private readonly endpoint: WireEndpoint,
    /** The connection is free for another request. */
    private readonly onFree: (c: WireConnection) => void,
    /** The connection is gone; `retry` is a job to send again on a fresh one. */
    private readonly onGone: (c: WireConnection, retry: WireJob | undefined) => void,
  ) {
    this.parser = new ResponseParser((r) => this.answered(r));
  }

  get busy(): boolean {
    return this.job !== undefined;
  }

  /** When the request in flight was handed over, or undefined when idle. */
  get since(): number | undefined {
    return this.job?.since;
  }

  send(job: WireJob): void {
    this.job = job;
    this.parser.begin(job.method, job.wantHeaders, job.wantBody);
    if (!this.socket) this.socket = this.open();
    this.socket.write(job.bytes);
  }

  /** The deadline passed: the request fails as a timeout and the connection is closed. */
  timeout(): void {
    const label = this.endpoint.label;
    const ms = this.endpoint.timeoutMs;
    this.fail(
      this.connected
        ? { kind: 'timeout', message: `no answer from ${label} within ${ms} ms` }
        : { kind: 'timeout', message: `could not connect to ${label} within ${ms} ms` },
    );
  }

  /** Closes the connection; a request in flight fails with `failure` (an abort when cut off). */
  destroy(failure: WireFailure = { kind: 'aborted', message: 'aborted' }): void {
    this.fail(failure);
  }

  private open(): Socket {
    const e = this.endpoint;
    const common = { host: e.hostname, port: e.port, lookup: e.lookup as never };
    const socket = e.tls
      ? tlsConnect({
          ...common,
          rejectUnauthorized: e.rejectUnauthorized,
          ALPNProtocols: ['http/1.1'],
          ...(e.ca ? { ca: e.ca } : {}),
          ...(isIpLiteral(e.hostname) ? {} : { servername: e.hostname }),
        })
      : netConnect({
          ...common,
          onread: {
            buffer: READ_BUFFER,
            callback: (n: number, buf: Uint8Array) => {
              // Node hands back the buffer it was given: READ_BUFFER, a Buffer.
              this.received(buf as Buffer, n);
              return true;
            },
          },
        });
    // Requests are single small writes answered before the next: Nagle's algorithm would hold each one
    // back waiting for an ACK. (net.connect's `noDelay` option did not take effect here; the call does.)
    socket.setNoDelay(true);
    socket.once(e.tls ? 'secureConnect' : 'connect', () => {
      this.connected = true;
    });
    if (e.tls) socket.on('data', (chunk: Buffer) => this.received(chunk, chunk.length));
    socket.on('end', () => this.ended());
    socket.on('error', (error) => this.fail(this.classify(error)));
    socket.on('close', () => this.ended());
    return socket;
  }

  private received(buf: Buffer, n: number): void {
    try {
      this.parser.feed(buf, 0, n);
    } catch (error) {
      this.fail(this.classify(error));
    }
  }

  private ended(): void {
    if (this.closed) return;
    if (this.job && this.parser.received > 0) {
      try {
        this.parser.end(); // completes a read-until-close body; throws for a cut-off response
      } catch (error) {
        this.fail(this.classify(error));
        return;
      }
      if (this.closed) return;
    }
    this.fail({ kind: 'reset', message: `${this.endpoint.label} closed the connection without answering` });
  }

  private answered(r: ParsedResponse): void {
    const job = this.job!;
    this.job = undefined;
    this.served++;
    // A body kept for checks is handed on as the server meant it, its Content-Encoding undone, as k6
    // gives `r.body` to a script; one that does not decode is a malformed answer. Its framing was
    // sound, so the connection is reused all the same.
    let failure: WireFailure | undefined;
    if (r.body) {
      try {
        r.body = decodeContent(r.body, r.headers?.['content-encoding'], DEFAULT_LIMITS.maxBodyBytes);
      } catch (error) {
        failure = this.classify(error);
      }
    }
    if (!r.keepAlive) this.close();
    // Free first: a caller that sends its next request from inside `done` (a VU) then finds this
    // connection idle instead of queueing behind it.
    if (this.closed) this.onGone(this, undefined);
    else this.onFree(this);
    job.done(failure, failure ? undefined : r);
  }

  private fail(failure: WireFailure): void {
    if (this.closed) return;
    const job = this.job;
    this.job = undefined;
    const nothingRead = this.parser.received === 0;
    this.close();
    if (!job) {
      this.onGone(this, undefined);
      return;
    }
    // A reused connection that the server had closed: send once more on a fresh one instead of counting
    // a failure the server never saw.
    const stale = this.served > 0 && nothingRead && failure.kind === 'reset';
    if (stale && !job.retried && IDEMPOTENT.has(job.method)) {
      job.retried = true;
      this.onGone(this, job);
      return;
    }
    job.done(failure, undefined);
    this.onGone(this, undefined);
  }

  private close(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  private classify(error: unknown): WireFailure {
    // The parser's refusals and a body that does not decode (content-coding.ts) are both malformed answers.
    if (
      error instanceof ResponseParseError ||
      (error as { kind?: unknown } | undefined)?.kind === 'protocol'
    ) {
      return {
        kind: 'protocol',
        message: `malformed HTTP response from ${this.endpoint.label}: ${(error as Error).message}`,
      };
    }
    const c = classifyError(error, { host: this.endpoint.label, timeoutMs: this.endpoint.timeoutMs });
    return { kind: c.kind === 'too-large' ? 'protocol' : c.kind, message: c.message };
  }
}

// SNI must name a host, never an address (RFC 6066 §3).
function isIpLiteral(hostname: string): boolean {
  return isIP(hostname) !== 0;
}
