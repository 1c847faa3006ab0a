// A web frontend as its server runs it: pages behind an OpenID Connect sign-in at the environment's
// Keycloak (authorization code with PKCE S256, a confidential client, the code exchanged by the server),
// a session cookie, and a backend-for-frontend path (`/bff/...`) that forwards the page script's API
// reads to the product's API with the session's bearer token. Paths it does not serve (health, metrics)
// go to the service's route table. Page faults (`target:rentguy-frontend:layout-shift`, …) are applied
// here, in what the browser receives.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, PageDefect } from 'cutover';
import type { FaultPlan } from '../faults.js';
import type { WebApp } from './app.js';
import { escapeHtml, peerRequest, redirect, send, sendHtml } from './http.js';
import { appPage, baseCss, heroSvg, logoSvg, messagePage, type PageFaults, themeCss } from './page.js';
import { appScript } from './script.js';
import { type Peer, SignIn } from './sign-in.js';

export interface WebFrontOptions {
  serviceId: string;
  app: WebApp;
  plan: FaultPlan;
  faults: readonly Fault[];
  /** The addresses of a service of the same environment, once every listener is up. */
  peer: (service: string) => Peer | undefined;
  now: () => number;
}

/** The page defects among an instance's faults, and slow-lcp's delay. */
export function pageFaults(faults: readonly Fault[]): { set: PageFaults; lcpDelayMs: number } {
  const set = new Set<PageDefect>();
  let lcpDelayMs = 0;
  for (const f of faults) {
    if (f.kind !== 'page') continue;
    set.add(f.defect);
    if (f.defect === 'slow-lcp') lcpDelayMs += f.delayMs ?? 0;
  }
  return { set, lcpDelayMs };
}

const BFF_PREFIX = '/bff/';
const LCP_FRAME_MARGIN_MS = 100;

export function webFront(options: WebFrontOptions, fallback: RequestListener): RequestListener {
  const { app, plan, serviceId } = options;
  const { set: faults, lcpDelayMs } = pageFaults(options.faults);
  const signIn = new SignIn({
    serviceId,
    peer: options.peer,
    now: options.now,
    loginBroken: faults.has('login-broken'),
  });
  const script = appScript(faults);
  const pages = new Map(app.pages.map((p) => [p.path, p]));

  const assets: Record<string, () => [type: string, body: string] | undefined> = {
    '/assets/app.css': () => ['text/css; charset=utf-8', baseCss()],
    // broken-asset: the theme stylesheet the page links is missing from the deployed build (404).
    '/assets/theme.css': () =>
      faults.has('broken-asset') ? undefined : ['text/css; charset=utf-8', themeCss(app)],
    '/assets/app.js': () => ['text/javascript; charset=utf-8', script],
    '/assets/logo.svg': () => ['image/svg+xml', logoSvg()],
    '/assets/hero.svg': () => ['image/svg+xml', heroSvg(app)],
  };

  const failedSignIn = (res: ServerResponse, why: string) =>
    sendHtml(
      res,
      401,
      messagePage(
        app,
        'Sign-in failed',
        'Sign-in failed',
        why,
        { href: '/login', label: 'Try again' },
        'login-error',
      ),
    );

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const asset = assets[path];
    if (asset) {
      const found = asset();
      // slow-lcp: the hero image, the page's largest element, arrives late — by the delay and 100 ms
      // more, so its paint is at least the delay later even when the healthy page's own paint lags by a
      // few frames on a busy machine.
      if (path === '/assets/hero.svg' && lcpDelayMs > 0) await sleep(lcpDelayMs + LCP_FRAME_MARGIN_MS);
      if (!found) send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      else send(res, 200, found[0], found[1], { 'cache-control': 'no-cache' });
      return;
    }
    if (path === '/login') {
      const started = signIn.start(req, url.searchParams.get('next'));
      if ('error' in started) return failedSignIn(res, started.error);
      return redirect(res, started.location, started.cookies);
    }
    if (path === '/callback') {
      const done = await signIn.finish(req, url.searchParams);
      if ('error' in done) return failedSignIn(res, done.error);
      return redirect(res, done.location, done.cookies);
    }
    if (path === '/logout') {
      return sendHtml(
        res,
        200,
        messagePage(
          app,
          'Signed out',
          'Signed out',
          `You have signed out of ${app.name}.`,
          { href: '/', label: 'Sign in again' },
          'signed-out',
        ),
        { 'set-cookie': signIn.end(req) },
      );
    }
    const session = signIn.session(req);
    if (path.startsWith(BFF_PREFIX)) {
      if (!session) return send(res, 401, 'application/json', '{"error":"not signed in"}');
      const api = options.peer(app.api);
      if (!api) return send(res, 502, 'application/json', `{"error":"${app.api} is not running"}`);
      const upstreamPath = `/${path.slice(BFF_PREFIX.length)}${url.search}`;
      const answer = await peerRequest(api.internal, new URL(api.internal).host, upstreamPath, {
        headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' },
      });
      return send(
        res,
        answer.status,
        String(answer.headers['content-type'] ?? 'application/json'),
        answer.body,
      );
    }
    const page = pages.get(path);
    if (!page) return fallback(req, res);
    if (!session) return redirect(res, `/login?next=${encodeURIComponent(path)}`);
    sendHtml(res, 200, appPage({ serviceId, app, user: session.name, faults }, page));
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://frontend.invalid');
    const method = req.method ?? 'GET';
    const ours =
      pages.has(url.pathname) ||
      Object.hasOwn(assets, url.pathname) ||
      ['/login', '/callback', '/logout'].includes(url.pathname) ||
      url.pathname.startsWith(BFF_PREFIX);
    if (!ours || (method !== 'GET' && method !== 'HEAD')) {
      fallback(req, res);
      return;
    }
    // The instance's HTTP faults reach the pages too: injected errors and latency.
    if (plan.injectError(options.now())) {
      send(res, 500, 'text/plain; charset=utf-8', 'injected fault\n');
      return;
    }
    const latency = plan.latencyMs(options.now());
    (latency > 0 ? sleep(latency) : Promise.resolve())
      .then(() => serve(req, res, url))
      .catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else send(res, 502, 'text/html; charset=utf-8', `<p>${escapeHtml(String(err))}</p>`);
      });
  };
}
