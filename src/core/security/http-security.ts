// HTTP security of public endpoints, judged from observations the runner made: TLS version, chain and
// expiry; HSTS and the usual security headers; admin endpoints answering from outside (OpenBao's sys
// API, Traefik's dashboard and API, Prometheus' admin API); CORS that lets any origin read
// credentialed responses. Baseline and target are also compared, so a header Compose's proxy sent and
// the Kubernetes ingress lost is reported as exactly that.
import type { SecurityFinding } from './finding.js';

export interface AdminProbe {
  label: string;
  path: string;
  status?: number;
}

export interface EndpointObservation {
  environment: string;
  service: string;
  url: string;
  https: boolean;
  status?: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  tls?: { protocol: string; authorized: boolean; authorizationError?: string; daysToExpiry: number };
  error?: string;
  /** The answer to a request carrying a foreign Origin. */
  cors?: { allowOrigin?: string; allowCredentials?: string };
  probeOrigin: string;
  admin: AdminProbe[];
}

/** The admin paths probed on every public endpoint. GET only: Cutover never sends a mutating request. */
export const ADMIN_PATHS: readonly { label: string; path: string; existsOn405?: boolean }[] = [
  { label: 'OpenBao sys API', path: '/v1/sys/mounts' },
  { label: 'OpenBao sanitized config', path: '/v1/sys/config/state/sanitized' },
  { label: 'Traefik dashboard', path: '/dashboard/' },
  { label: 'Traefik API', path: '/api/rawdata' },
  // The admin API takes POST/PUT; a 405 to GET shows the route is served from outside.
  { label: 'Prometheus admin API', path: '/api/v1/admin/tsdb/snapshot', existsOn405: true },
];

const HEADERS: readonly {
  name: string;
  accept: (v: string | undefined, all: Record<string, string>) => boolean;
}[] = [
  { name: 'x-content-type-options', accept: (v) => v?.toLowerCase() === 'nosniff' },
  {
    name: 'x-frame-options',
    accept: (v, all) =>
      /^(deny|sameorigin)$/i.test(v ?? '') || /frame-ancestors/i.test(all['content-security-policy'] ?? ''),
  },
  { name: 'referrer-policy', accept: (v) => v !== undefined && v.toLowerCase() !== 'unsafe-url' },
];

const HSTS_MIN_SECONDS = 15_552_000; // 180 days, what HSTS preload lists and most scanners expect

export function evaluateHttpSecurity(
  observations: readonly EndpointObservation[],
  certMinDays: number,
): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const o of observations) {
    const object = `${o.environment}/${o.service} ${o.url}`;
    if (o.error && o.status === undefined) continue; // unreachable: smoke reports it; nothing to judge here
    if (!o.https) {
      out.push({
        check: 'plain-http',
        severity: 'low',
        object,
        path: 'url',
        message: 'served over plain HTTP (acceptable only behind a TLS-terminating edge)',
        remedy: 'serve the public host over HTTPS and redirect HTTP',
      });
    }
    if (o.tls) {
      if (!/^TLSv1\.[23]$/.test(o.tls.protocol)) {
        out.push({
          check: 'tls-version',
          severity: 'high',
          object,
          path: 'tls.protocol',
          message: `negotiated ${o.tls.protocol}`,
          remedy: 'allow only TLS 1.2 and 1.3 at the ingress',
        });
      }
      if (!o.tls.authorized) {
        out.push({
          check: 'tls-chain',
          severity: 'high',
          object,
          path: 'tls.certificate',
          message: `certificate does not verify: ${o.tls.authorizationError ?? 'unknown reason'}`,
          remedy: 'serve the full chain of a trusted CA (cert-manager Certificate with the right issuer)',
        });
      }
      if (o.tls.daysToExpiry < certMinDays) {
        out.push({
          check: 'tls-expiry',
          severity: o.tls.daysToExpiry < 0 ? 'critical' : 'high',
          object,
          path: 'tls.certificate.notAfter',
          message:
            o.tls.daysToExpiry < 0
              ? `certificate expired ${-o.tls.daysToExpiry} days ago`
              : `certificate expires in ${o.tls.daysToExpiry} days (minimum ${certMinDays})`,
          remedy: 'renew the certificate; check cert-manager renewals',
        });
      }
      const hsts = o.headers['strict-transport-security'];
      const maxAge = Number(/max-age=(\d+)/i.exec(hsts ?? '')?.[1] ?? Number.NaN);
      if (!hsts || !(maxAge >= HSTS_MIN_SECONDS)) {
        out.push({
          check: 'hsts',
          severity: 'medium',
          object,
          path: 'headers.strict-transport-security',
          message: hsts
            ? `HSTS max-age ${Number.isNaN(maxAge) ? 'missing' : maxAge} is below 180 days`
            : 'no Strict-Transport-Security header',
          remedy:
            'send Strict-Transport-Security: max-age=31536000; includeSubDomains (Traefik headers middleware)',
        });
      }
    }
    const missing = HEADERS.filter((h) => !h.accept(o.headers[h.name], o.headers)).map((h) => h.name);
    if (missing.length > 0) {
      out.push({
        check: 'security-headers',
        severity: 'low',
        object,
        path: 'headers',
        message: `missing or weak: ${missing.join(', ')}`,
        remedy:
          'add them in the ingress (a Traefik headers middleware: contentTypeNosniff, frameDeny, referrerPolicy)',
      });
    }
    const allow = o.cors?.allowOrigin;
    if (
      allow &&
      (allow === '*' || allow === o.probeOrigin) &&
      o.cors?.allowCredentials?.toLowerCase() === 'true'
    ) {
      out.push({
        check: 'cors',
        severity: 'high',
        object,
        path: 'headers.access-control-allow-origin',
        message: `${allow === '*' ? 'wildcard' : 'reflected'} Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true lets any site read authenticated responses`,
        remedy: 'allow only the platform’s own origins when credentials are allowed',
      });
    }
    for (const a of o.admin) {
      const spec = ADMIN_PATHS.find((p) => p.path === a.path);
      if (a.status === undefined) continue;
      if (a.status >= 200 && a.status < 300) {
        out.push({
          check: 'admin-endpoint',
          severity: 'high',
          object,
          path: a.path,
          message: `${a.label} answers ${a.status} from outside`,
          remedy: `block ${a.path} at the public ingress; expose admin UIs only on an internal entry point`,
        });
      } else if (a.status === 405 && spec?.existsOn405) {
        out.push({
          check: 'admin-endpoint',
          severity: 'medium',
          object,
          path: a.path,
          message: `${a.label} route is served from outside (405 to GET; whether the admin API is enabled needs a POST, which Cutover never sends)`,
          remedy: `do not route ${a.path} from the public ingress`,
        });
      } else if (a.status === 401 || a.status === 403) {
        out.push({
          check: 'admin-endpoint',
          severity: 'low',
          object,
          path: a.path,
          message: `${a.label} is reachable from outside (it asks for credentials: ${a.status})`,
          remedy: `block ${a.path} at the public ingress`,
        });
      }
    }
  }
  return out;
}

const COMPARED = [
  'strict-transport-security',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
];

/** Headers the baseline sent and the target does not, per service. */
export function compareHttpSecurity(
  baseline: readonly EndpointObservation[],
  target: readonly EndpointObservation[],
): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const t of target) {
    const b = baseline.find((x) => x.service === t.service);
    if (!b || b.status === undefined || t.status === undefined) continue;
    for (const h of COMPARED) {
      if (b.headers[h] !== undefined && t.headers[h] === undefined) {
        out.push({
          check: 'header-lost',
          severity: 'medium',
          object: `${t.environment}/${t.service} ${t.url}`,
          path: `headers.${h}`,
          message: `${b.environment} sends ${h}; ${t.environment} does not`,
          remedy: `add ${h} to the target's ingress middleware as the Compose proxy had it`,
        });
      }
    }
    if (b.https && !t.https) {
      out.push({
        check: 'tls-lost',
        severity: 'high',
        object: `${t.environment}/${t.service} ${t.url}`,
        path: 'url',
        message: `${b.environment} serves HTTPS; ${t.environment} serves plain HTTP`,
        remedy: 'terminate TLS at the target ingress',
      });
    }
  }
  return out;
}
