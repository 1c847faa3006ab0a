// What an answer that breaks HTTP/1.1's message framing means, decided once for every HTTP client of the
// project: the node:http requests of the smoke probe and the integration suite, and the load engine's
// wire client. The case in point: a DELETE answered `204` with `Content-Length: 2` and `{}`. A 204 ends
// with its head (RFC 9112 §6.3), so the two bytes belong to no message; curl warns and goes on, Node's
// parser fails the request with HPE_INVALID_CONSTANT when the bytes arrive in the same read as the head
// and not when they arrive in a later one — so the same server was judged at random. Here the answer is
// kept, the connection is closed (the bytes after it would be read as the start of the next answer), and
// the fault is named in words. Pure.

/** A server's breach of the framing, in words, beside an answer that is kept. */
export interface FramingFault {
  /** What the server did wrong, for a person: check reasons, parity, the load summary. */
  message: string;
  /**
   * Read from the response's head alone (a 204 that announces a body), so the same answer gives it every
   * time, whenever the bytes after the head arrive. A fault seen only in the bytes that followed depends
   * on their arriving before the connection closed, so it is shown but never compared.
   */
  fromHead: boolean;
}

/** A response that ends with its head whatever its head says (RFC 9112 §6.3): HEAD, 1xx, 204, 304. */
export function endsAtHead(method: string, status: number): boolean {
  return method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304;
}

const which = (method: string, status: number) =>
  method === 'HEAD' ? `its ${status} answer to HEAD` : `a ${status} response`;

/**
 * A 204 whose head announces a body: RFC 9110 §8.6 forbids Content-Length and RFC 9112 §6.1
 * Transfer-Encoding on it, so the bytes the server sends after the head are no part of any message.
 * (HEAD answers and 304s may carry both, to describe the body a GET would have had.)
 * `contentLength` is the header's value as sent, or its parsed number; absent, undefined or -1.
 */
export function announcedBody(
  status: number,
  contentLength: string | number | undefined,
  transferEncoding: string | undefined,
): FramingFault | undefined {
  if (status !== 204) return undefined;
  const length = typeof contentLength === 'string' ? contentLength.trim() : contentLength;
  if (transferEncoding !== undefined && transferEncoding.trim() !== '') {
    return {
      message: `the server announced a body (Transfer-Encoding: ${transferEncoding.trim().slice(0, 40)}) after a 204 response, which has no body; it is not part of the answer, and the connection was closed`,
      fromHead: true,
    };
  }
  if (length === undefined || length === -1 || length === '' || length === 0 || length === '0')
    return undefined;
  const n = String(length).slice(0, 20);
  return {
    message: `the server announced ${n} bytes (Content-Length: ${n}) after a 204 response, which has no body; they are not part of the answer, and the connection was closed`,
    fromHead: true,
  };
}

/** Bytes that arrived after a complete response, on a connection that asked for nothing more. */
export function bytesAfter(method: string, status: number): FramingFault {
  const what = endsAtHead(method, status)
    ? `${which(method, status)}, which has no body`
    : `the end of ${which(method, status)}`;
  return {
    message: `the server sent bytes after ${what}; they are not part of the answer, and the connection was closed`,
    fromHead: false,
  };
}
