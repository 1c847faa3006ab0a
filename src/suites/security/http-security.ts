// HTTP security of the public endpoints of every selected environment: one GET of the health path
// (with a foreign Origin, to see the CORS answer) and one GET per admin path, through the project's
// probe (deadline, body cap, TLS facts, host pinning). Loopback-only in tests; only hosts in the config.

import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import {
  ADMIN_PATHS,
  compareHttpSecurity,
  type EndpointObservation,
  evaluateHttpSecurity,
} from '../../core/security/http-security.js';
import { probe } from '../../runners/http/probe.js';
import { planSmoke } from '../smoke/plan.js';
import type { SuiteContext } from '../suite.js';
import { report } from './evidence.js';

const PROBE_ORIGIN = 'https://cutover-cors-probe.invalid';

function lower(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

export async function checkHttpSecurity(ctx: SuiteContext): Promise<void> {
  const targets = planSmoke(ctx.config, { environments: ctx.environments, services: ctx.services }).filter(
    (t) => ctx.config.services[t.service]?.public !== false,
  );
  const timeoutMs = ctx.config.security.timeoutMs;
  // Probes in parallel, bounded as the smoke suite bounds them; results kept in plan order. Each probe
  // listens on the abort signal, so they share one local signal that may carry that many listeners.
  const limit = pLimit(ctx.config.smoke.concurrency);
  const local = new AbortController();
  setMaxListeners(ctx.config.smoke.concurrency * (ADMIN_PATHS.length + 1) + 10, local.signal);
  const stop = () => local.abort();
  ctx.signal?.addEventListener('abort', stop, { once: true });
  const signal = local.signal;
  const observed = await Promise.all(
    targets.map((t) =>
      limit(async (): Promise<EndpointObservation | undefined> => {
        if (signal.aborted) return undefined;
        const base = t.url.replace(/\/+$/, '');
        const opts = {
          timeoutMs,
          maxBodyBytes: 64 * 1024,
          pins: t.pins,
          ...(t.ca ? { ca: t.ca } : {}),
          signal,
        };
        const main = await probe(`${base}${t.health.path}`, { ...opts, headers: { origin: PROBE_ORIGIN } });
        const headers = main.ok ? lower(main.headers) : {};
        const admin = await Promise.all(
          ADMIN_PATHS.map(async (a) => {
            const r = await probe(`${base}${a.path}`, opts);
            return { label: a.label, path: a.path, ...(r.status !== undefined ? { status: r.status } : {}) };
          }),
        );
        return {
          environment: t.environment,
          service: t.service,
          url: t.url,
          https: t.url.startsWith('https:'),
          ...(main.ok ? { status: main.status } : { error: main.error.message }),
          headers,
          ...(main.tls ? { tls: main.tls } : {}),
          cors: {
            ...(headers['access-control-allow-origin']
              ? { allowOrigin: headers['access-control-allow-origin'] }
              : {}),
            ...(headers['access-control-allow-credentials']
              ? { allowCredentials: headers['access-control-allow-credentials'] }
              : {}),
          },
          probeOrigin: PROBE_ORIGIN,
          admin,
        };
      }),
    ),
  );
  ctx.signal?.removeEventListener('abort', stop);
  const observations = observed.filter((o): o is EndpointObservation => o !== undefined);
  const certMinDays = ctx.config.smoke.certMinDays;
  const environments = [...new Set(targets.map((t) => t.environment))];
  for (const env of environments) {
    const mine = observations.filter((o) => o.environment === env);
    const reached = mine.filter((o) => o.status !== undefined);
    const findings = evaluateHttpSecurity(mine, certMinDays);
    if (env !== 'baseline')
      findings.push(
        ...compareHttpSecurity(
          observations.filter((o) => o.environment === 'baseline'),
          mine,
        ),
      );
    report(ctx, {
      environment: env,
      scope: 'http-security',
      findings,
      status:
        reached.length === 0 ? 'could-not-check' : reached.length < mine.length ? 'partial' : 'complete',
      reason:
        reached.length === 0
          ? `none of the ${mine.length} public endpoints answered`
          : `${reached.length} of ${mine.length} public endpoints checked (TLS, headers, CORS, ${ADMIN_PATHS.length} admin paths each)`,
      counts: { endpoints: mine.length, reached: reached.length },
    });
  }
}
