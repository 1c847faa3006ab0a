// The smoke suite: for every service in every environment, is it reachable, does it answer the
// expected status and content type, does its health payload say healthy, is its certificate valid,
// and how fast do a few probes answer. Every failure is a recorded check with its reason, never a throw.
import pLimit from 'p-limit';
import type { CheckResult } from '../../core/model.js';
import { quantile, round } from '../../core/quantile.js';
import { mediaType, type ProbeResult, probe } from '../../runners/http/probe.js';
import type { Suite } from '../suite.js';
import { healthUrl, type SmokeSettings } from './define.js';
import { judgeHealth, snippet } from './evidence.js';
import { planSmoke, SMOKE_CHECKS, type SmokeTarget } from './plan.js';

export interface SmokeHooks {
  onCheck?: (check: CheckResult) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

async function checkTarget(
  target: SmokeTarget,
  settings: SmokeSettings,
  emit: (c: Omit<CheckResult, 'suite' | 'environment' | 'service' | 'at'>) => void,
  signal?: AbortSignal,
) {
  const url = healthUrl(target.url, target.health.path);
  const opts = {
    timeoutMs: settings.timeoutMs,
    maxBodyBytes: settings.maxBodyBytes,
    pins: target.pins,
    ...(target.ca ? { ca: target.ca } : {}),
    // Ctrl-C must not wait for a hanging service's timeout.
    ...(signal ? { signal } : {}),
  };
  const first = await probe(url, opts);
  const answered = first.ok || first.error.kind === 'too-large';

  if (!answered) {
    emit({
      check: 'reachable',
      status: 'fail',
      reason: `${first.error.message} (GET ${url})`,
      data: { errorKind: first.error.kind, elapsedMs: first.elapsedMs },
    });
    for (const check of ['status', 'content-type', 'health', 'latency'] as const) {
      emit({ check, status: 'skip', reason: 'not reachable' });
    }
    emitTls(target, first, settings, emit);
    return;
  }
  // A server that broke the framing answered all the same: the answer is judged, the fault named.
  const framing = first.ok ? first.framing : undefined;
  emit({
    check: 'reachable',
    status: 'pass',
    reason: `answered in ${first.elapsedMs} ms${framing ? `; ${framing.message}` : ''}`,
    data: { elapsedMs: first.elapsedMs, ...(framing ? { framing: framing.message } : {}) },
  });

  const status = first.ok ? first.status : (first.status ?? 0);
  emit(
    status === target.health.status
      ? { check: 'status', status: 'pass', reason: `HTTP ${status}`, data: { status } }
      : {
          check: 'status',
          status: 'fail',
          reason: `HTTP ${status}, expected ${target.health.status}`,
          data: { status, expected: target.health.status },
        },
  );

  if (!first.ok) {
    emit({ check: 'content-type', status: 'skip', reason: 'no complete body' });
    emit({
      check: 'health',
      status: 'fail',
      reason: first.error.message,
      data: { errorKind: first.error.kind },
    });
  } else {
    const type = mediaType(first.headers);
    const wanted = target.health.contentType?.toLowerCase();
    if (!wanted)
      emit({
        check: 'content-type',
        status: 'pass',
        reason: `${type ?? 'none'} (no expectation)`,
        data: { contentType: type ?? null },
      });
    else if (type === wanted)
      emit({ check: 'content-type', status: 'pass', reason: type, data: { contentType: type } });
    else
      emit({
        check: 'content-type',
        status: 'fail',
        reason: `${type ?? 'no Content-Type'}, expected ${wanted}`,
        data: { contentType: type ?? null },
      });

    const declared = first.headers['content-type'];
    const health = judgeHealth(target.health, first.body, declared);
    emit({ check: 'health', status: health.healthy ? 'pass' : 'fail', reason: health.reason });
  }
  emitTls(target, first, settings, emit);

  const samples: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < settings.probes && !signal?.aborted; i++) {
    const r = await probe(url, opts);
    if (!r.ok) problems.push(r.error.message);
    else if (r.status !== target.health.status) problems.push(`HTTP ${r.status}`);
    else samples.push(r.elapsedMs);
  }
  const data = {
    probes: settings.probes,
    answered: samples.length,
    p50Ms: samples.length ? round(quantile(samples, 0.5)) : null,
    maxMs: samples.length ? round(Math.max(...samples)) : null,
  };
  if (problems.length > 0) {
    emit({
      check: 'latency',
      status: 'fail',
      reason: `${problems.length} of ${settings.probes} probes failed: ${problems[0]}`,
      data,
    });
  } else if (samples.length < settings.probes) {
    emit({ check: 'latency', status: 'skip', reason: 'interrupted', data });
  } else {
    emit({
      check: 'latency',
      status: 'pass',
      reason: `p50 ${data.p50Ms} ms, max ${data.maxMs} ms over ${samples.length} probes`,
      data,
    });
  }
}

function emitTls(
  target: SmokeTarget,
  result: ProbeResult,
  settings: SmokeSettings,
  emit: (c: Omit<CheckResult, 'suite' | 'environment' | 'service' | 'at'>) => void,
) {
  if (!target.url.startsWith('https:')) {
    emit({ check: 'tls', status: 'skip', reason: 'plain HTTP: no certificate to check' });
    return;
  }
  const tls = result.tls;
  if (!tls) {
    const why = result.ok ? 'no certificate presented' : result.error.message;
    emit({ check: 'tls', status: 'fail', reason: `no TLS session: ${why}` });
    return;
  }
  const data = {
    protocol: tls.protocol,
    daysToExpiry: tls.daysToExpiry,
    validTo: tls.validTo,
    subject: tls.subject,
    issuer: tls.issuer,
  };
  if (!tls.authorized) {
    emit({
      check: 'tls',
      status: 'fail',
      reason: `certificate not trusted: ${tls.authorizationError ?? 'unknown reason'}`,
      data,
    });
  } else if (!(tls.daysToExpiry >= settings.certMinDays)) {
    emit({
      check: 'tls',
      status: 'fail',
      reason: `certificate expires in ${tls.daysToExpiry} days (${tls.validTo}); at least ${settings.certMinDays} required`,
      data,
    });
  } else {
    emit({
      check: 'tls',
      status: 'pass',
      reason: `${tls.protocol}, valid for ${tls.daysToExpiry} more days`,
      data,
    });
  }
}

/** Runs every target with bounded concurrency; resolves with every check, in the order they finished. */
export async function runSmoke(
  targets: readonly SmokeTarget[],
  settings: SmokeSettings,
  hooks: SmokeHooks = {},
): Promise<CheckResult[]> {
  const limit = pLimit(settings.concurrency);
  const now = hooks.now ?? (() => new Date());
  const results: CheckResult[] = [];
  await Promise.all(
    targets.map((target) =>
      limit(async () => {
        if (hooks.signal?.aborted) return;
        const emit = (c: Omit<CheckResult, 'suite' | 'environment' | 'service' | 'at'>) => {
          // After an interrupt, in-flight probes fail with "interrupted": that is not evidence about
          // the service, so it is not recorded. The gate then sees missing evidence: INCONCLUSIVE.
          if (hooks.signal?.aborted) return;
          const check: CheckResult = {
            suite: 'smoke',
            environment: target.environment,
            service: target.service,
            ...c,
            at: now().toISOString(),
          };
          results.push(check);
          hooks.onCheck?.(check);
        };
        try {
          await checkTarget(target, settings, emit, hooks.signal);
        } catch (error) {
          // A bug in a check must not lose the run: record it as a failed check with its message.
          emit({
            check: 'reachable',
            status: 'fail',
            reason: `internal error while checking: ${snippet(String(error), 200)}`,
          });
        }
      }),
    ),
  );
  return results;
}

export const smokeSuite: Suite<SmokeTarget[]> = {
  id: 'smoke',
  title: 'Smoke: every service reachable and healthy',
  byDefault: true,
  plan: async (ctx) => planSmoke(ctx.config, { environments: ctx.environments, services: ctx.services }),
  plannedChecks: (targets) => targets.length * SMOKE_CHECKS.length,
  run: async (ctx, targets) => {
    await runSmoke(targets, ctx.config.smoke, {
      now: ctx.now,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onCheck: (check) => ctx.check(check),
    });
  },
};
