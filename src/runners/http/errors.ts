// Classifies network and protocol errors into the kinds a report can count and a person can read.

export type NetErrorKind =
  | 'refused'
  | 'dns'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'protocol'
  | 'too-large'
  | 'other';

export interface NetError {
  kind: NetErrorKind;
  message: string;
  code?: string;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|EPROTO)/;

export function classifyError(error: unknown, context: { host: string; timeoutMs: number }): NetError {
  const err = error as NodeJS.ErrnoException & { kind?: NetErrorKind };
  if (err?.kind) return { kind: err.kind, message: err.message, ...(err.code ? { code: err.code } : {}) };
  const code = err?.code ?? '';
  const detail = err?.message ?? String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', code, message: `connection refused by ${context.host}` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return { kind: 'dns', code, message: `DNS lookup failed for ${context.host} (${code})` };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', code, message: `connection reset by ${context.host}` };
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return {
        kind: 'timeout',
        code,
        message: `no answer from ${context.host} within ${context.timeoutMs} ms`,
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'refused', code, message: `${context.host} is unreachable (${code})` };
  }
  if (isParseError(error))
    return {
      kind: 'protocol',
      code,
      message: `malformed HTTP response from ${context.host}: ${parseErrorWords(error)}`,
    };
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(detail)) {
    return { kind: 'tls', code, message: `TLS error: ${detail}` };
  }
  if (/socket hang up/i.test(detail))
    return { kind: 'reset', code, message: `${context.host} closed the connection without answering` };
  return { kind: 'other', ...(code ? { code } : {}), message: detail };
}

/** An error of Node's HTTP parser (llhttp): its code starts with `HPE_`. */
export function isParseError(error: unknown): error is Error & { code: string; reason?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('HPE_');
}

// What the server did wrong, for each code of Node's HTTP parser a response can provoke: a person reads
// "the status line has no valid status code", not HPE_INVALID_STATUS.
const PARSER_FAULTS: Record<string, string> = {
  HPE_INVALID_CONSTANT:
    'the server sent bytes that are not an HTTP/1.x response where a response should start',
  HPE_INVALID_VERSION: 'the status line does not name HTTP/1.0 or HTTP/1.1',
  HPE_INVALID_STATUS: 'the status line has no valid three-digit status code',
  HPE_CR_EXPECTED: 'a line of the response head does not end in CRLF',
  HPE_LF_EXPECTED: 'a line of the response head does not end in CRLF',
  HPE_INVALID_HEADER_TOKEN: 'a header line holds a character HTTP does not allow there',
  HPE_UNEXPECTED_SPACE: 'a header line has whitespace where HTTP allows none',
  HPE_INVALID_CONTENT_LENGTH: 'the Content-Length header is not one valid number',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'the response has both Content-Length and Transfer-Encoding: chunked',
  HPE_INVALID_TRANSFER_ENCODING: 'the Transfer-Encoding header is invalid (chunked is not its last coding)',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size in the chunked body is not a hexadecimal number',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'the chunk extensions of the chunked body are larger than Node accepts',
  HPE_HEADER_OVERFLOW: "the response head is larger than Node's limit",
  HPE_INVALID_EOF_STATE: 'the connection closed in the middle of the response',
  HPE_CLOSED_CONNECTION: 'the server sent data after saying it would close the connection',
};

/**
 * A parser error in words: what the server did wrong first, the parser's own reason and code after it
 * in parentheses, for whoever reports the case upstream — never the code alone.
 */
export function parseErrorWords(error: Error & { code: string; reason?: string }): string {
  const words = PARSER_FAULTS[error.code] ?? 'the response breaks the rules of HTTP/1.1 message syntax';
  const reason = typeof error.reason === 'string' && error.reason ? `${error.reason}, ` : '';
  return `${words} (Node's HTTP parser: ${reason}${error.code})`;
}

/** An error carrying its own kind, for limits the probe enforces itself. */
export function probeError(kind: NetErrorKind, message: string): Error & { kind: NetErrorKind } {
  return Object.assign(new Error(message), { kind });
}
