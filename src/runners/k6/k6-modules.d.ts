// The few k6 module APIs the generated scripts use (k6 v1/v2), declared here rather than pulling in
// @types/k6 for three functions. These modules exist only inside k6; Node never loads them.
declare module 'k6/http' {
  export interface K6Response {
    status: number;
    body: string | ArrayBuffer | null;
    headers: Record<string, string>;
    json(): unknown;
    /** Set when no HTTP answer came (status 0). */
    error?: string;
    /** k6's error code (docs: k6 error codes) when no HTTP answer came. */
    error_code?: number;
    timings?: { duration: number };
  }
  export interface K6Params {
    headers?: Record<string, string>;
    tags?: Record<string, string>;
    responseCallback?: unknown;
    timeout?: string;
  }
  const http: {
    request(method: string, url: string, body: string | null, params?: K6Params): K6Response;
    expectedStatuses(...statuses: Array<number | { min: number; max: number }>): unknown;
  };
  export default http;
}

declare module 'k6' {
  export function check<T>(
    value: T,
    checks: Record<string, (v: T) => boolean>,
    tags?: Record<string, string>,
  ): boolean;
  export function sleep(seconds: number): void;
}

declare module 'k6/execution' {
  const exec: { scenario: { iterationInTest: number }; vu: { idInTest: number } };
  export default exec;
}

declare const __ENV: Record<string, string | undefined>;
