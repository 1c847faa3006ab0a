// The one generic service stand-in: route matching, body handling, faults and RED metrics for whatever
// route table it is given. Everything product-specific lives in the tables under routes/.

import { setMaxListeners } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Histogram, Registry } from 'prom-client';
import type { FaultPlan } from './faults.js';
import type { TokenCheck } from './identity.js';
import type { Route, RouteContext, RouteResponse } from './route.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** The route label of requests no pattern matched; one value keeps the label's cardinality bounded. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface ServiceInstance {
  handler: RequestListener;
  registry: Registry;
  /** Ends every pending delay, so stopping does not wait out a long stall or latency. */
  abort(): void;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method'; route: Route; allow: string[] }
  | { kind: 'none' };

function match(routes: readonly CompiledRoute[], method: string, path: string): Match {
  // HEAD is answered by the GET route without a body, as every real HTTP server does.
  const wanted = method === 'HEAD' ? 'GET' : method;
  const allow: string[] = [];
  let first: Route | undefined;
  for (const c of routes) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    if (c.route.method === wanted) {
      const params = Object.fromEntries(c.names.map((n, i) => [n, safeDecode(m[i + 1]!)]));
      return { kind: 'route', route: c.route, params };
    }
    first ??= c.route;
    allow.push(c.route.method);
  }
  return first ? { kind: 'method', route: first, allow } : { kind: 'none' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type BodyResult =
  | { ok: true; body: unknown; form?: URLSearchParams }
  | { ok: false; response: RouteResponse };

async function readBody(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is still read to its end, only not kept: answering 413 while the client is still
  // writing makes many clients report a reset connection instead of the status.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) {
    return {
      ok: false,
      response: { status: 413, json: { error: `request body larger than ${MAX_BODY_BYTES} bytes` } },
    };
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { ok: true, body: undefined };
  const type = req.headers['content-type'];
  // A form body (Prometheus' POST /api/v1/query) is read as parameters, as Go's r.FormValue does.
  if ((type ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded')
    return { ok: true, body: undefined, form: new URLSearchParams(raw) };
  // Other bodies that say they are not JSON are accepted unparsed; no handler here reads them.
  if (type !== undefined && !type.includes('json')) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(raw) };
  } catch (err) {
    return {
      ok: false,
      response: { status: 400, json: { error: 'invalid JSON body', detail: String(err) } },
    };
  }
}

function createMetrics() {
  // A registry per instance: two environments in one process must not share counters.
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request arrival to the end of the response, injected delays included.',
    labelNames,
    registers: [registry],
  });
  return { registry, requests, duration };
}

export interface ServiceOptions {
  /** Verifies the bearer token of requests to every route but `openPaths`; a response refuses the request. */
  checkToken?: TokenCheck;
  openPaths?: readonly string[];
}

export function createService(
  routes: readonly Route[],
  plan: FaultPlan,
  now: () => number,
  options: ServiceOptions = {},
): ServiceInstance {
  const compiled = routes.map(compile);
  const { registry, requests, duration } = createMetrics();
  const aborter = new AbortController();
  // Every delayed request listens on this signal; under load that is far more than Node's default of 10
  // listeners, and the leak warning it would print is noise from a library.
  setMaxListeners(0, aborter.signal);
  const pause = (ms: number) => (ms > 0 ? sleep(ms, undefined, { signal: aborter.signal }) : undefined);

  async function answer(req: IncomingMessage, method: string, url: URL): Promise<[string, RouteResponse]> {
    const found = match(compiled, method, url.pathname);
    if (found.kind === 'none') {
      return [UNMATCHED_ROUTE, { status: 404, json: { error: 'not found', method, path: url.pathname } }];
    }
    if (found.kind === 'method') {
      const allow = found.allow.join(', ');
      return [
        found.route.path,
        { status: 405, json: { error: 'method not allowed', allow }, headers: { allow } },
      ];
    }
    const body = await readBody(req);
    if (!body.ok) return [found.route.path, body.response];
    if (options.checkToken && !options.openPaths?.includes(found.route.path)) {
      const refused = await options.checkToken(req.headers);
      if (refused) return [found.route.path, refused];
    }
    if (plan.injectError(now()))
      return [found.route.path, { status: 500, json: { error: 'injected fault' } }];
    const ctx: RouteContext = {
      method,
      path: url.pathname,
      params: found.params,
      // Form parameters first, then the URL's: Go's r.FormValue prefers the body's value.
      query: body.form ? new URLSearchParams([...body.form, ...url.searchParams]) : url.searchParams,
      body: body.body,
      headers: req.headers,
      host: req.headers.host ?? url.host,
      now,
    };
    let response: RouteResponse;
    try {
      response = await found.route.handler(ctx);
    } catch (err) {
      return [found.route.path, { status: 500, json: { error: 'internal error', detail: String(err) } }];
    }
    return [
      found.route.path,
      response.json === undefined ? response : { ...response, json: plan.drift(response.json) },
    ];
  }

  const handler: RequestListener = (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname === '/metrics' && (method === 'GET' || method === 'HEAD')) {
      // Not faulted and not counted: the scrape must keep working while the service misbehaves.
      void registry.metrics().then(
        (body) => send(res, method, { text: body }, registry.contentType),
        (err) => send(res, method, { status: 500, json: { error: 'metrics failed', detail: String(err) } }),
      );
      return;
    }
    const end = duration.startTimer();
    void (async () => {
      let route: string;
      let response: RouteResponse;
      try {
        // Throws when the client goes away mid-body or stop() ends a delay: no one is left to answer.
        [route, response] = await answer(req, method, url);
        await pause(plan.latencyMs(now()));
        await pause(plan.stallWaitMs(now()));
      } catch {
        res.destroy();
        return;
      }
      const status = send(res, method, response);
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      end(labels);
    })();
  };

  return { handler, registry, abort: () => aborter.abort() };
}

/** Writes a route response; returns the status sent. */
function send(res: ServerResponse, method: string, r: RouteResponse, contentType?: string): number {
  let body: string | undefined;
  let type = contentType;
  if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    type ??= 'application/json; charset=utf-8';
  } else if (r.html !== undefined) {
    body = r.html;
    type ??= 'text/html; charset=utf-8';
  } else if (r.text !== undefined) {
    body = r.text;
    type ??= 'text/plain; charset=utf-8';
  }
  const status = r.status ?? (body === undefined ? 204 : 200);
  const headers: Record<string, string | number> = { ...r.headers };
  if (body !== undefined && type !== undefined) {
    headers['content-type'] = type;
    headers['content-length'] = Buffer.byteLength(body);
  }
  res.writeHead(status, headers);
  res.end(method === 'HEAD' ? undefined : body);
  return status;
}
