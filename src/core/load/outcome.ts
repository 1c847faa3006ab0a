// How a request ended, as every engine names it: the HTTP status class of an answer, or the kind of
// transport error when none came. Pure, so the k6 bundles (src/runners/k6/runtime.ts) classify requests
// exactly as the readers of k6's output and the embedded engine do.

/** 2xx…5xx for answered requests; the error kind for requests that got no answer. */
export type OutcomeClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | ErrorClass;
export type ErrorClass = 'refused' | 'reset' | 'timeout' | 'tls' | 'dns' | 'protocol' | 'other';

const STATUS_CLASSES: readonly OutcomeClass[] = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

export function statusClass(status: number): OutcomeClass {
  return STATUS_CLASSES[Math.min(5, Math.max(1, Math.floor(status / 100)))]!;
}

/** k6's error codes (docs: k6 error codes) for requests that got no HTTP answer. */
export function errorClassOf(code: string | number | undefined): ErrorClass {
  const n = Number(code);
  if (n === 1050 || n === 1211 || n === 1202) return 'timeout';
  if (n === 1212) return 'refused';
  if (n === 1220 || n === 1201) return 'reset';
  if (n >= 1100 && n < 1200) return 'dns';
  if (n >= 1300 && n < 1400) return 'tls';
  if (n >= 1600 && n < 1700) return 'protocol';
  return 'other';
}

/** A k6 request's class: its status class when answered (status ≥ 100), else its error code's kind. */
export function k6OutcomeClass(status: number, errorCode: string | number | undefined): OutcomeClass {
  return status >= 100 ? statusClass(status) : errorClassOf(errorCode);
}
