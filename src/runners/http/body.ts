// Reads a response body up to a cap, shared by the smoke probe and the integration client: a body over
// the cap ends the request as a classified `too-large` failure instead of filling memory. It also
// decides, the same way every time, what bytes after the end of the response mean (./framing.ts): the
// answer is kept with a framing fault and the connection is closed, whether those bytes came in the same
// read as the response — where Node's parser reports them as an error before the response's 'end' — or
// in a later one, or (for a 204 that announced them) not yet at all.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isParseError, probeError } from './errors.js';
import { announcedBody, bytesAfter, type FramingFault } from './framing.js';

export interface BodyRead {
  body: Buffer;
  /** Set when the server broke the message framing; the answer is kept and the connection closed. */
  framing?: FramingFault;
}

export interface BodyReader {
  /**
   * Whether `error`, raised on the request, is Node's parser failing on bytes that came after the
   * complete response: then the reader takes it as the answer's framing fault, and the request's error
   * handler must ignore it (the answer follows through `onEnd`). The handler asks this first.
   */
  tookError(error: unknown): boolean;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

export function readCappedBody(
  req: ClientRequest,
  res: IncomingMessage,
  options: { method: string; maxBytes: number },
  onEnd: (read: BodyRead) => void,
  onFail: (error: Error) => void,
): BodyReader {
  const status = res.statusCode ?? 0;
  // Decided from the head alone, before any byte after it can arrive: the same answer, the same fault.
  let framing = announcedBody(
    status,
    header(res.headers['content-length']),
    header(res.headers['transfer-encoding']),
  );
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  res.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > options.maxBytes) {
      over = true;
      const error = probeError('too-large', `response body exceeds the ${options.maxBytes}-byte limit`);
      // Reported here, not through the request's 'error': when the whole body came in the read that
      // crossed the cap, the message is complete and Node 24 emits no error for destroying its request
      // (Node 20 and 22 did), so the answer would wait for its deadline, or forever.
      onFail(error);
      req.destroy(error);
      return;
    }
    chunks.push(chunk);
  });
  // A body that arrived whole in one read can end after the cap was crossed: that end is not an answer
  // (it would be an empty body), the too-large failure already given is.
  res.on('end', () => {
    if (over) return;
    // Whatever follows a broken answer on this connection would be read as the next one: close it.
    if (framing) req.destroy();
    onEnd({ body: Buffer.concat(chunks), ...(framing ? { framing } : {}) });
  });
  return {
    tookError(error) {
      // `complete` is set when the parser finished the message, before it met the bytes after it.
      if (!res.complete || !isParseError(error)) return false;
      framing ??= bytesAfter(options.method, status);
      return true;
    },
  };
}
