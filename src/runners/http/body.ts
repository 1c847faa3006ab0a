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
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      req.destroy(probeError('too-large', `response body exceeds the ${maxBytes}-byte limit`));
      return;
    }
    chunks.push(chunk);
  });
  res.on('end', () => onEnd(Buffer.concat(chunks)));
}
