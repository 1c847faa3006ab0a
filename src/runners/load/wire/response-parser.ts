// An incremental HTTP/1.1 response parser for the load engine's connections (RFC 9112).
//
// Why hand-written: the load engine must spend as little CPU per request as wrk-class tools, and the
// general-purpose parsers available (undici's llhttp in WebAssembly, node:http's) cost several times
// more per response than the engine's whole request loop, mostly in building header objects and body
// streams nobody reads. Under load the engine only needs the status, the framing (Content-Length,
// chunked, until-close), whether the connection stays open — and headers and body only for requests
// with checks. Everything a hostile or broken server can send ends in a ResponseParseError, never in a
// hang or unbounded memory: the head and trailers are capped, a collected body is capped, and a body
// that is not collected is counted and dropped as it arrives.
import { announcedBody, bytesAfter, type FramingFault } from '../../http/framing.js';
import { ResponseParseError } from './parse-error.js';
import { emptyHead, HEAD_END, type ResponseHead, scanHead } from './response-head.js';

const CR = 13;
const LF = 10;

export interface ParsedResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". Only when the request asked for them. */
  headers?: Record<string, string>;
  /** Only when the request asked for it. */
  body?: Buffer;
  /** False when the server asked to close, the framing requires it, or the response was not clean. */
  keepAlive: boolean;
  /**
   * The server broke the message framing — a 204 that announced a body, bytes after the response — and
   * the answer is kept while the connection is not (../../http/framing.ts).
   */
  framing?: FramingFault;
}

export { ResponseParseError };

export interface ParserLimits {
  /** Status line and headers (and, separately, trailers) together. */
  maxHeadBytes: number;
  /** A body collected for checks; bodies not collected may be any size. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ParserLimits = { maxHeadBytes: 64 * 1024, maxBodyBytes: 16 * 1024 * 1024 };

// Parser states (plain numbers: the state is compared on every byte range of every response).
const IDLE = 0;
const HEAD = 1;
const LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_DATA_END = 5;
const TRAILERS = 6;
const UNTIL_CLOSE = 7;

export class ResponseParser {
  private state: number = IDLE;
  private partialHead: Buffer | undefined;
  private partialLength = 0;
  private readonly head: ResponseHead = emptyHead();
  private remaining = 0;
  private status = 0;
  private keepAlive = true;
  private headers: Record<string, string> | undefined;
  private bodyParts: Buffer[] | undefined;
  private bodyBytes = 0;
  private headRequest = false;
  private method = 'GET';
  private framing: FramingFault | undefined;
  private wantHeaders = false;
  private wantBody = false;
  // Chunk-size line and trailer state.
  private chunkDigits = 0;
  private chunkExtension = false;
  private lineBytes = 0;
  private sawCR = false;
  /** Bytes of the current exchange received so far: 0 tells a dead keep-alive connection apart. */
  received = 0;

  constructor(
    private readonly onResponse: (r: ParsedResponse) => void,
    private readonly limits: ParserLimits = DEFAULT_LIMITS,
  ) {}

  /** Expect the answer to a request just sent. */
  begin(method: string, wantHeaders: boolean, wantBody: boolean): void {
    this.state = HEAD;
    this.method = method;
    this.headRequest = method === 'HEAD';
    this.wantHeaders = wantHeaders;
    this.wantBody = wantBody;
    this.received = 0;
    this.resetMessage();
  }

  get busy(): boolean {
    return this.state !== IDLE;
  }

  /** Parses buf[start, end). Bytes are copied where kept, so the caller may reuse buf. Throws ResponseParseError. */
  feed(buf: Buffer, start: number, end: number): void {
    if (this.state === IDLE && start < end) {
      throw new ResponseParseError('the server sent data no request asked for');
    }
    this.received += end - start;
    let i = start;
    while (i < end) {
      switch (this.state) {
        case HEAD:
          i = this.readHead(buf, i, end);
          break;
        case LENGTH:
        case CHUNK_DATA:
        case UNTIL_CLOSE:
          i = this.readBody(buf, i, end);
          break;
        case CHUNK_SIZE:
          i = this.readChunkSize(buf, i, end);
          break;
        case CHUNK_DATA_END:
          i = this.readChunkEnd(buf, i);
          break;
        case TRAILERS:
          i = this.readTrailers(buf, i, end);
          break;
        case IDLE:
          // Bytes after a complete response: no request was pipelined, so they belong to nothing.
          return;
      }
      if (this.state === IDLE) {
        this.complete(i < end);
        return;
      }
    }
  }

  /** The connection reached end of stream. Completes a read-until-close body; anything else unfinished throws. */
  end(): void {
    if (this.state === UNTIL_CLOSE) {
      this.keepAlive = false;
      this.state = IDLE;
      this.complete(false);
      return;
    }
    if (this.state === IDLE) return;
    this.state = IDLE;
    throw new ResponseParseError(
      `the connection closed after ${this.received} bytes of an incomplete response`,
    );
  }

  private resetMessage(): void {
    this.partialHead = undefined;
    this.partialLength = 0;
    this.status = 0;
    this.keepAlive = true;
    this.headers = undefined;
    this.bodyParts = undefined;
    this.bodyBytes = 0;
    this.framing = undefined;
  }

  private complete(trailingBytes: boolean): void {
    // Bytes after the response in the same read: no request asked for them, so the connection is not
    // reused (they would be read as the start of the next answer), and the answer says why.
    if (trailingBytes) this.framing ??= bytesAfter(this.method, this.status);
    const r: ParsedResponse = { status: this.status, keepAlive: this.keepAlive && !trailingBytes };
    if (this.headers) r.headers = this.headers;
    if (this.bodyParts) r.body = Buffer.concat(this.bodyParts, this.bodyBytes);
    if (this.framing) r.framing = this.framing;
    this.resetMessage();
    this.onResponse(r);
  }

  private readHead(buf: Buffer, i: number, end: number): number {
    const head = this.head;
    if (!this.partialHead) {
      const after = scanHead(buf, i, end, this.wantHeaders, head);
      if (after >= 0) {
        if (after - i > this.limits.maxHeadBytes) throw this.headTooLarge();
        this.afterHead();
        return after;
      }
      if (end - i > this.limits.maxHeadBytes) throw this.headTooLarge();
      this.partialHead = Buffer.from(buf.subarray(i, end)); // a copy: the socket reuses buf
      this.partialLength = end - i;
      return end;
    }
    // The head came in pieces: gather them in a buffer that grows by doubling and look for the blank
    // line only among the new bytes, so a head trickled byte by byte costs linear time, not quadratic;
    // parse it once it is whole.
    const had = this.partialLength;
    const total = had + (end - i);
    if (total > this.partialHead.length) {
      const grown = Buffer.allocUnsafe(Math.max(total, this.partialHead.length * 2));
      this.partialHead.copy(grown, 0, 0, had);
      this.partialHead = grown;
    }
    buf.copy(this.partialHead, had, i, end);
    this.partialLength = total;
    const view = this.partialHead.subarray(0, total);
    if (view.indexOf(HEAD_END, Math.max(0, had - 3)) < 0) {
      if (total > this.limits.maxHeadBytes) throw this.headTooLarge();
      return end;
    }
    const after = scanHead(view, 0, total, this.wantHeaders, head);
    if (after > this.limits.maxHeadBytes) throw this.headTooLarge();
    this.partialHead = undefined;
    this.partialLength = 0;
    this.afterHead();
    return i + (after - had);
  }

  private headTooLarge(): ResponseParseError {
    return new ResponseParseError(`response head larger than ${this.limits.maxHeadBytes} bytes`);
  }

  private afterHead(): void {
    const h = this.head;
    const status = h.status;
    if (status < 200) {
      if (status === 101) {
        throw new ResponseParseError(
          'the server switched protocols (101), which a load test does not ask for',
        );
      }
      // An interim response (100 Continue, 103 Early Hints): the final one follows.
      this.resetMessage();
      return;
    }
    this.status = status;
    // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when told to keep it.
    this.keepAlive = !h.close && (!h.http10 || h.keepAlive);
    if (h.headers) this.headers = h.headers;
    if (this.wantBody) this.bodyParts = [];
    if (this.headRequest || status === 204 || status === 304) {
      this.state = IDLE;
      // A 204 that announces a body: the server sends bytes that belong to no message, now or in a later
      // read. Decided here, from the head, so the connection is closed whenever they arrive — had it
      // been reused, they would start the next answer, failing a request at random.
      this.framing = announcedBody(status, h.contentLength, h.transferEncoding);
      if (this.framing) this.keepAlive = false;
    } else if (h.transferEncoding !== undefined) {
      // Transfer-Encoding overrides Content-Length; a message with both must not reuse the connection.
      if (h.contentLength >= 0) this.keepAlive = false;
      const codings = h.transferEncoding.toLowerCase().split(',');
      if (codings[codings.length - 1]!.trim() === 'chunked') {
        this.state = CHUNK_SIZE;
        this.resetChunkLine();
      } else {
        this.state = UNTIL_CLOSE;
        this.keepAlive = false;
      }
    } else if (h.contentLength >= 0) {
      this.remaining = h.contentLength;
      this.state = h.contentLength === 0 ? IDLE : LENGTH;
    } else {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    }
  }

  private readBody(buf: Buffer, i: number, end: number): number {
    const n = this.state === UNTIL_CLOSE ? end - i : Math.min(this.remaining, end - i);
    if (this.bodyParts) {
      if (this.bodyBytes + n > this.limits.maxBodyBytes) {
        throw new ResponseParseError(`response body larger than ${this.limits.maxBodyBytes} bytes`);
      }
      this.bodyParts.push(Buffer.from(buf.subarray(i, i + n)));
    }
    this.bodyBytes += n;
    if (this.state !== UNTIL_CLOSE) {
      this.remaining -= n;
      if (this.remaining === 0) {
        if (this.state === LENGTH) this.state = IDLE;
        else {
          this.state = CHUNK_DATA_END;
          this.sawCR = false;
        }
      }
    }
    return i + n;
  }

  private resetChunkLine(): void {
    this.remaining = 0;
    this.chunkDigits = 0;
    this.chunkExtension = false;
    this.lineBytes = 0;
    this.sawCR = false;
  }

  private readChunkSize(buf: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = buf[i]!;
      if (++this.lineBytes > 4096) throw new ResponseParseError('chunk-size line longer than 4096 bytes');
      if (this.sawCR) {
        if (c !== LF) throw new ResponseParseError('malformed chunk-size line (CR without LF)');
        if (this.chunkDigits === 0) throw new ResponseParseError('malformed chunk-size line (no size)');
        const size = this.remaining;
        if (size === 0) {
          this.state = TRAILERS;
          this.lineBytes = 0;
          this.sawCR = false;
          return i + 1;
        }
        this.state = CHUNK_DATA;
        return i + 1;
      }
      if (c === CR) {
        this.sawCR = true;
        continue;
      }
      if (this.chunkExtension) {
        // Extensions are tokens and quoted strings: a control byte there (a bare LF above all) is how
        // chunk-extension smuggling splits one body into two messages.
        if ((c < 32 && c !== 9) || c === 127)
          throw new ResponseParseError(`malformed chunk extension (byte 0x${c.toString(16)})`);
        continue;
      }
      const digit = hexValue(c);
      if (digit >= 0) {
        if (++this.chunkDigits > 12) throw new ResponseParseError('chunk size too large');
        this.remaining = this.remaining * 16 + digit;
      } else if ((c === 59 /* ; */ || c === 32 || c === 9) && this.chunkDigits > 0) {
        this.chunkExtension = true;
      } else {
        throw new ResponseParseError(`malformed chunk-size line (byte 0x${c.toString(16)})`);
      }
    }
    return i;
  }

  private readChunkEnd(buf: Buffer, i: number): number {
    const c = buf[i]!;
    if (!this.sawCR) {
      if (c !== CR) throw new ResponseParseError('chunk data longer than its size');
      this.sawCR = true;
      return i + 1;
    }
    if (c !== LF) throw new ResponseParseError('chunk data longer than its size');
    this.state = CHUNK_SIZE;
    this.resetChunkLine();
    return i + 1;
  }

  private readTrailers(buf: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = buf[i]!;
      if (++this.remaining > this.limits.maxHeadBytes) {
        throw new ResponseParseError(`trailers larger than ${this.limits.maxHeadBytes} bytes`);
      }
      if (c === LF && this.sawCR) {
        if (this.lineBytes === 0) {
          this.state = IDLE;
          return i + 1;
        }
        this.lineBytes = 0;
        this.sawCR = false;
      } else if (c === CR) {
        this.sawCR = true;
      } else {
        if (this.sawCR) throw new ResponseParseError('malformed trailer line (CR without LF)');
        if (c === LF) throw new ResponseParseError('malformed trailer line (LF without CR)');
        this.lineBytes++;
      }
    }
    return i;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
