// A small web frontend the browser suite's tests serve themselves on loopback: a bookings list with a
// stylesheet, an image, a script that fills the list, a search form, and (optionally) a login form in
// the manner of Keycloak's (#username, #password, #kc-login) that sets a session cookie. Two of them
// are two environments; a fault makes one differ as a broken migration would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';

export type SiteFault =
  | 'layout-shift'
  | 'console-error'
  | 'broken-asset'
  | 'a11y-missing-label'
  | 'slow-lcp'
  | 'login-broken';

export interface SiteOptions {
  faults?: readonly SiteFault[];
  /** Extra delay of the hero image for `slow-lcp`, in ms. @default 800 */
  slowMs?: number;
  /** Require a login through the form first. */
  login?: { username: string; password: string };
  /** A clock-like dynamic region (different text on every load), to be masked. */
  dynamic?: boolean;
}

export interface Site {
  url: string;
  port: number;
  /** Requests per path, to bound and inspect the traffic. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

// A hero image with detail (seeded noise): Chromium leaves low-entropy images such as a flat SVG out of
// LCP, and the page's largest contentful paint must be this image for the slow-lcp fault to show.
const HERO = (() => {
  const img = new PNG({ width: 600, height: 120 });
  let seed = 7;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    img.data[i] = seed & 255;
    img.data[i + 1] = (seed >> 8) & 255;
    img.data[i + 2] = (seed >> 16) & 255;
    img.data[i + 3] = 255;
  }
  return PNG.sync.write(img);
})();

function page(faults: readonly SiteFault[], dynamic: boolean, n: number): string {
  const has = (f: SiteFault) => faults.includes(f);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bookings</title>
<link rel="stylesheet" href="/app.css">${has('broken-asset') ? '<link rel="stylesheet" href="/theme.css">' : ''}
</head><body>
<header><h1>Bookings</h1>${dynamic ? `<p data-dynamic>Rendered ${n} at ${new Date().toISOString()}</p>` : ''}</header>
<img class="hero" src="/hero.png" alt="Equipment banner" width="600" height="120">
<main${has('layout-shift') ? ' style="margin-top:40px"' : ''}>
<form role="search"><label for="q">Search</label> <input id="q" name="q"></form>
<form>${has('a11y-missing-label') ? '<input id="email" name="email" type="text">' : '<label for="email">E-mail</label> <input id="email" name="email" type="text">'}</form>
<ul id="list"></ul></main>
<script src="/app.js"></script>
</body></html>`;
}

const CSS =
  'body{font:16px "Liberation Sans",Arial,sans-serif;margin:16px;color:#222}h1{font-size:24px}li{padding:4px}';

function js(faults: readonly SiteFault[]): string {
  return `document.getElementById('list').innerHTML = ['Speaker set', 'Stage light', 'Mixer'].map((x) => '<li>' + x + '</li>').join('');
${faults.includes('console-error') ? "console.error('bookings: failed to read /api/bookings: 500');" : ''}`;
}

const LOGIN = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>
<form id="kc-form-login" method="post" action="/realms/test/login-actions/authenticate">
<label for="username">Username or email</label><input id="username" name="username">
<label for="password">Password</label><input id="password" name="password" type="password">
<input id="kc-login" type="submit" value="Sign In"></form></body></html>`;

export async function startSite(options: SiteOptions = {}, host = '127.0.0.1'): Promise<Site> {
  const faults = options.faults ?? [];
  const hits = new Map<string, number>();
  let loads = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (options.login) {
      if (url.pathname === '/realms/test/protocol/openid-connect/auth') return send(200, 'text/html', LOGIN);
      if (url.pathname === '/realms/test/login-actions/authenticate' && req.method === 'POST') {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          const form = new URLSearchParams(body);
          const ok =
            !faults.includes('login-broken') &&
            form.get('username') === options.login!.username &&
            form.get('password') === options.login!.password;
          // As Keycloak does: the form again, with the error above it.
          if (!ok)
            return send(
              200,
              'text/html',
              LOGIN.replace('<form', '<p>Invalid username or password.</p><form'),
            );
          send(302, 'text/plain', '', { location: '/', 'set-cookie': 'session=ok; Path=/; HttpOnly' });
        });
        return;
      }
      if (!(req.headers.cookie ?? '').includes('session=ok'))
        return send(302, 'text/plain', '', { location: '/realms/test/protocol/openid-connect/auth' });
    }
    if (url.pathname === '/') return send(200, 'text/html', page(faults, options.dynamic ?? false, ++loads));
    if (url.pathname === '/app.css') return send(200, 'text/css', CSS);
    if (url.pathname === '/app.js') return send(200, 'text/javascript', js(faults));
    if (url.pathname === '/hero.png') {
      const delay = faults.includes('slow-lcp') ? (options.slowMs ?? 800) : 0;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
        res.end(HERO);
      }, delay);
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
