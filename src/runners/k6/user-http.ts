// `k6/http` as a team's script sees it when Cutover runs it: k6's own module, with two things added that
// Cutover promises for every load — each request carries the configured timeout unless the script sets
// its own (`performance.timeoutMs`, so k6 gives up when the embedded engine would rather than after its
// own 60 s), and a request to a host the config does not name for this environment is refused (load
// goes only where the config says). The bundler points the script's `k6/http` imports here; this file's
// own import of `k6/http` stays k6's. Bundled into the script: nothing here may need Node.
import http from 'k6/http';

// biome-ignore lint/suspicious/noExplicitAny: k6's params and bodies are free-form
type Any = any;

const TIMEOUT = __ENV.CUTOVER_TIMEOUT || undefined;
const ALLOWED = (__ENV.CUTOVER_ALLOWED_HOSTS ?? '').split(',').filter(Boolean);

function guard(url: unknown): void {
  if (ALLOWED.length === 0) return;
  // `http.url` template objects print as their URL.
  const text = String((url as { url?: string })?.url ?? url);
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+|\[[^\]]+\])/i.exec(text)?.[1]?.toLowerCase();
  if (host && !ALLOWED.includes(host))
    throw new Error(
      `cutover: request to ${host} refused: the config names ${ALLOWED.join(', ')} for ${__ENV.CUTOVER_ENV ?? 'this environment'}`,
    );
}

function withTimeout(params: Any): Any {
  if (!TIMEOUT || (params && params.timeout !== undefined)) return params;
  return { ...(params ?? {}), timeout: TIMEOUT };
}

/** One entry of http.batch: `url`, `[method, url, body?, params?]` or `{ method, url, body?, params? }`. */
function batchEntry(e: Any): Any {
  if (typeof e === 'string') {
    guard(e);
    return ['GET', e, null, withTimeout(undefined)];
  }
  if (Array.isArray(e)) {
    guard(e[1]);
    return [e[0], e[1], e[2] ?? null, withTimeout(e[3])];
  }
  guard(e.url);
  return { ...e, params: withTimeout(e.params) };
}

const k6http = http as Any;
const wrapped: Any = Object.create(k6http);
wrapped.request = (method: string, url: Any, body?: Any, params?: Any) => {
  guard(url);
  return k6http.request(method, url, body ?? null, withTimeout(params));
};
wrapped.get = (url: Any, params?: Any) => wrapped.request('GET', url, null, params);
wrapped.head = (url: Any, params?: Any) => wrapped.request('HEAD', url, null, params);
wrapped.post = (url: Any, body?: Any, params?: Any) => wrapped.request('POST', url, body, params);
wrapped.put = (url: Any, body?: Any, params?: Any) => wrapped.request('PUT', url, body, params);
wrapped.patch = (url: Any, body?: Any, params?: Any) => wrapped.request('PATCH', url, body, params);
wrapped.del = (url: Any, body?: Any, params?: Any) => wrapped.request('DELETE', url, body, params);
wrapped.options = (url: Any, body?: Any, params?: Any) => wrapped.request('OPTIONS', url, body, params);
wrapped.batch = (requests: Any) =>
  k6http.batch(
    Array.isArray(requests)
      ? requests.map(batchEntry)
      : Object.fromEntries(Object.entries(requests).map(([k, e]) => [k, batchEntry(e)])),
  );

export default wrapped;
export const request = wrapped.request;
export const get = wrapped.get;
export const head = wrapped.head;
export const post = wrapped.post;
export const put = wrapped.put;
export const patch = wrapped.patch;
export const del = wrapped.del;
export const options = wrapped.options;
export const batch = wrapped.batch;
export const expectedStatuses = (...a: Any[]) => k6http.expectedStatuses(...a);
export const setResponseCallback = (...a: Any[]) => k6http.setResponseCallback(...a);
export const file = (...a: Any[]) => k6http.file(...a);
export const cookieJar = (...a: Any[]) => k6http.cookieJar(...a);
export const asyncRequest = (method: string, url: Any, body?: Any, params?: Any) => {
  guard(url);
  return k6http.asyncRequest(method, url, body ?? null, withTimeout(params));
};
export const url = (...a: Any[]) => k6http.url(...a);
export const CookieJar = k6http.CookieJar;
