// HTTP/1.1 request serialisation for the load engine: a request whose method, path, headers and body do
// not depend on the iteration is serialised once and the same bytes are written for every iteration.

export interface WireRequest {
  method: string;
  /** Path and query, starting with `/`. */
  path: string;
  /** The Host header: the URL's host (name and non-default port), also when the address is pinned. */
  host: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values may hold visible characters, spaces and tabs; CR, LF and NUL would split the request.
const UNSAFE_VALUE = /[\r\n\0]/;
// DEL (0x7f) is a control character too: RFC 9110 §5.5 allows VCHAR (0x21-0x7e) and obs-text (0x80-0xff).
// undici and node:http refuse it with the same range; the load engine must not send what they would not.
const NOT_LATIN1 = /[^\t\x20-\x7e\x80-\xff]/;
const UNSAFE_TARGET = /[\s\0]/;

/** Methods that carry a body get a Content-Length even when it is empty, as curl and k6 send. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The request's bytes. Throws on anything that would corrupt the request (header injection). */
export function serialiseRequest(r: WireRequest): Buffer {
  if (!TOKEN.test(r.method)) throw new Error(`invalid HTTP method ${JSON.stringify(r.method)}`);
  if (!r.path.startsWith('/') || UNSAFE_TARGET.test(r.path)) {
    throw new Error(`invalid request path ${JSON.stringify(r.path)}`);
  }
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  const lines = [`${r.method} ${r.path} HTTP/1.1`];
  const given = new Set<string>();
  for (const [name, value] of Object.entries(r.headers)) {
    if (!TOKEN.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    if (UNSAFE_VALUE.test(value)) throw new Error(`the value of header ${name} contains CR, LF or NUL`);
    if (NOT_LATIN1.test(value))
      throw new Error(
        `the value of header ${name} holds a control character or a character outside ISO-8859-1`,
      );
    const lower = name.toLowerCase();
    // Framing is the engine's to set: a scenario's own Content-Length could desynchronise the connection.
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    given.add(lower);
    lines.push(`${name}: ${value}`);
  }
  if (!given.has('host')) lines.splice(1, 0, `Host: ${r.host}`);
  if (!given.has('user-agent')) lines.push('User-Agent: cutover-load');
  if (body || BODY_METHODS.has(r.method)) lines.push(`Content-Length: ${body?.length ?? 0}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}
