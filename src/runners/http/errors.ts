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
  if (code.startsWith('HPE_'))
    return { kind: 'protocol', code, message: `malformed HTTP response (${code})` };
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(detail)) {
    return { kind: 'tls', code, message: `TLS error: ${detail}` };
  }
  if (/socket hang up/i.test(detail))
    return { kind: 'reset', code, message: `${context.host} closed the connection without answering` };
  return { kind: 'other', ...(code ? { code } : {}), message: detail };
}

/** An error carrying its own kind, for limits the probe enforces itself. */
export function probeError(kind: NetErrorKind, message: string): Error & { kind: NetErrorKind } {
  return Object.assign(new Error(message), { kind });
}
