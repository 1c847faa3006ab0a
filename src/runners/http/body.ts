// Reads a response body up to a cap, shared by the smoke probe and the integration client: a body over
// the cap ends the request as a classified `too-large` failure instead of filling memory.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { probeError } from './errors.js';

export function readCappedBody(
  req: ClientRequest,
  res: IncomingMessage,
  maxBytes: number,
  onEnd: (body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  res.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > maxBytes) {
      over = true;
      req.destroy(probeError('too-large', `response body exceeds the ${maxBytes}-byte limit`));
      return;
    }
    chunks.push(chunk);
  });
  // A body that arrived whole in one read can end before the destroy's error is emitted: that end is
  // not an answer (it would be an empty body), the too-large error is.
  res.on('end', () => {
    if (!over) onEnd(Buffer.concat(chunks));
  });
}
