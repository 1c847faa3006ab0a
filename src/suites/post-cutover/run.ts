// `cutover watch` as a suite, `post-cutover`: every interval, each service's traffic on the target in the
// last window is read from Prometheus and judged against the Compose baseline; Compose's own traffic is
// read too (it should be none). A suite rather than a loop of its own, because that is what a run is
// here (docs/architecture.md): the engine records every evidence item as it arrives (events.jsonl, so a
// watch killed after six hours keeps its six hours), evaluates the gates on the record — `cutover gate
// --phase 5 --run <watch run>` reads traffic.errors and traffic.compose-idle from it — and writes the
// reports; `cutover demo` runs it like any other suite. What only a watch does (the breach policy, the
// rollback recommendation, the live view, its /metrics) lives here and in its neighbours.
import type { Evidence } from '../../core/evidence.js';
import type { ApiOutcome } from '../../core/monitoring/api-outcome.js';
import type { QueryResult } from '../../core/monitoring/query-result.js';
import { figureFor, type TrafficBaseline } from '../../core/monitoring/traffic-baseline.js';
import { AlertmanagerClient } from '../../runners/alertmanager/client.js';
import { resolveHost } from '../../runners/dns/resolve.js';
import { ApiClient } from '../../runners/http/api-client.js';
import { PrometheusClient } from '../../runners/prometheus/client.js';
import type { Suite, SuiteContext } from '../suite.js';
import { BreachCounter } from './breach.js';
import type { WatchEvaluationView, WatchServiceView } from './define.js';
import { judgeDns } from './dns.js';
import { composeEvidence, SUITE, sampleEvidence } from './evidence.js';
import { judgeService } from './judge.js';
import { startWatchMetrics, type WatchMetrics } from './metrics.js';
import { planWatch, shownUrl, type WatchPlan } from './plan.js';
import { readRequestCount, readSample, type TrafficSample } from './sample.js';
import { promWindow, type ServiceQueries } from './templates.js';

/** Queries in flight at once: a Prometheus answers a few in parallel; 50 services need no more. */
const CONCURRENCY = 8;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface QueryCounter {
  queries: number;
}

/** One service's three queries on one Prometheus, evaluated at `timeMs` (Prometheus' clock when absent). */
export async function readService(
  client: PrometheusClient,
  q: ServiceQueries,
  timeoutMs: number,
  counter: QueryCounter,
  timeMs?: number,
): Promise<TrafficSample> {
  const options = { timeoutMs, ...(timeMs !== undefined ? { timeMs } : {}) };
  const ask = (expr: string): Promise<ApiOutcome<QueryResult>> => {
    counter.queries++;
    return client.query(expr, options);
  };
  const [requests, errors, buckets] = await Promise.all([ask(q.requests), ask(q.errors), ask(q.buckets)]);
  return readSample({ requests, errors, buckets }, q.leToMs);
}

/** Compose's own traffic needs only its request count. */
async function readRequests(
  client: PrometheusClient,
  q: ServiceQueries,
  timeoutMs: number,
  counter: QueryCounter,
): Promise<TrafficSample> {
  counter.queries++;
  return readRequestCount(await client.query(q.requests, { timeoutMs }));
}

export async function runWatch(ctx: SuiteContext, plan: WatchPlan): Promise<void> {
  const api = { env: ctx.env, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const target = new PrometheusClient(plan.prometheus.target, api);
  const compose = plan.prometheus.baseline ? new PrometheusClient(plan.prometheus.baseline, api) : undefined;
  const options = ctx.options.watch ?? {};
  const counter: QueryCounter = { queries: 0 };
  const breaches = new BreachCounter(plan.failureLimit);
  const last = new Map<string, WatchServiceView>();
  let metrics: WatchMetrics | undefined;
  let trafficStarted = false;
  if (plan.metricsListen) {
    // The watch matters more than its metrics: a taken port is said, and the watch goes on without them.
    try {
      metrics = await startWatchMetrics(plan, plan.metricsListen);
      options.onMetricsListening?.(metrics.url);
    } catch (error) {
      ctx.log(`watch metrics not served: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    if (plan.dns) await checkDns(ctx, plan, plan.dns);
    trafficStarted = options.traffic !== undefined;
    await options.traffic?.before?.();
    const startMs = ctx.now().getTime();
    // The reference: a recorded baseline's same hour of the week (referenceAt, per window), else the
    // Compose side's figures over the window before the watch began, read once here.
    const reference = new Map<string, TrafficSample>();
    if (!options.reference && compose) {
      const samples = await mapLimit(plan.services, CONCURRENCY, (s) =>
        readService(compose, s.reference, plan.queryTimeoutMs, counter, startMs),
      );
      for (const [i, s] of plan.services.entries()) reference.set(s.id, samples[i]!);
    }
    let rollback: { service: string; reason: string } | undefined;
    options.traffic?.start();
    for (let index = 1; index <= plan.evaluations && !rollback; index++) {
      await sleep(startMs + index * plan.intervalMs - ctx.now().getTime(), ctx.signal);
      if (ctx.signal?.aborted) break;
      const began = performance.now();
      const before = counter.queries;
      const at = ctx.now().toISOString();
      const window = promWindow(plan.intervalMs);
      const views = await mapLimit(plan.services, CONCURRENCY, async (s): Promise<WatchServiceView> => {
        const [sample, idle] = await Promise.all([
          readService(target, s.window, plan.queryTimeoutMs, counter),
          compose ? readRequests(compose, s.window, plan.queryTimeoutMs, counter) : undefined,
        ]);
        const items: Evidence[] = sampleEvidence(plan.target, s.id, sample, at, window);
        if (idle && plan.baseline) items.push(...composeEvidence(plan.baseline, s.id, idle, at, window));
        for (const item of items) ctx.evidence(item);
        const base = options.reference
          ? referenceAt(options.reference, s.id, ctx.now().getTime())
          : reference.get(s.id);
        const judged = judgeService(s.id, sample, base, plan.criteria, plan.under);
        const count = breaches.record(s.id, judged.state);
        return {
          service: s.id,
          state: judged.state,
          ...(sample.state === 'traffic' ? { rps: sample.requests / (plan.intervalMs / 1000) } : {}),
          criteria: judged.criteria,
          breaches: count,
          reason: judged.reason,
        };
      });
      if (ctx.signal?.aborted) break;
      for (const v of views) last.set(v.service, v);
      const reached = views.find((v) => breaches.reached(v.service));
      if (reached)
        rollback = {
          service: reached.service,
          reason: `${reached.service} breached ${reached.breaches} evaluation(s) in a row (limit ${plan.failureLimit}): ${reached.reason}`,
        };
      const view: WatchEvaluationView = {
        index,
        at,
        services: views,
        queries: counter.queries - before,
        ms: Math.round(performance.now() - began),
        ...(rollback ? { rollback } : {}),
      };
      metrics?.update(view);
      options.onEvaluation?.(view);
    }
    if (rollback) await notifyRollback(ctx, plan, rollback);
    recordDecision(ctx, plan, last, rollback);
  } finally {
    if (trafficStarted) await options.traffic?.stop();
    await metrics?.close();
  }
}

/** A recorded baseline's figures for a service at a time, as a sample: the same hour of the week, else all hours. */
function referenceAt(baseline: TrafficBaseline, service: string, ms: number): TrafficSample | undefined {
  const found = figureFor(baseline, service, ms);
  if (!found) return undefined;
  const { figure } = found;
  return {
    state: 'traffic',
    requests: figure.requests,
    errors: figure.errors,
    buckets: figure.buckets.map(([le, count]) => ({ leMs: le ?? Number.POSITIVE_INFINITY, count })),
  };
}

/** The DNS cutover, once: a check per host and resolver. */
async function checkDns(
  ctx: SuiteContext,
  plan: WatchPlan,
  dns: NonNullable<WatchPlan['dns']>,
): Promise<void> {
  const resolvers = [undefined, ...dns.servers];
  for (const { host, service } of dns.hosts) {
    for (const server of resolvers) {
      const via = server ?? 'the system resolver';
      const judged = judgeDns(
        host,
        via,
        await resolveHost(host, server),
        dns.targetAddresses,
        dns.composeAddresses,
      );
      ctx.check({
        suite: SUITE,
        environment: plan.target,
        service,
        check: 'dns',
        status: judged.status,
        reason: judged.reason,
        data: { host, via },
        at: ctx.now().toISOString(),
      });
      if (judged.status !== 'pass') ctx.log(`DNS: ${judged.reason}`);
    }
  }
}

/** One check per service: fail where rollback is recommended, pass where healthy at its last evaluation. */
function recordDecision(
  ctx: SuiteContext,
  plan: WatchPlan,
  last: ReadonlyMap<string, WatchServiceView>,
  rollback: { service: string; reason: string } | undefined,
): void {
  const at = ctx.now().toISOString();
  // A watch that ended undecided for a service (not yet evaluated, or breaching fewer times in a row than
  // the policy's limit, or without data at the end) recommended no rollback, but it vouches for nothing
  // either: its check is a skip, which `post-cutover.failed == 0` alone would count as a pass, so the
  // suite's coverage says could-not-check and the criterion is INCONCLUSIVE.
  const undecided = (service: string, reason: string) =>
    ctx.evidence({
      kind: 'coverage',
      suite: SUITE,
      environment: plan.target,
      scope: `watch:decision:${service}`,
      status: 'could-not-check',
      reason: `${service}: ${reason}`,
      service,
      at,
    });
  for (const s of plan.services) {
    const v = last.get(s.id);
    const base = { suite: SUITE, environment: plan.target, service: s.id, check: 'watch', at };
    if (rollback?.service === s.id)
      ctx.check({
        ...base,
        status: 'fail',
        reason: `rollback recommended: ${rollback.reason}`,
        data: { breaches: v?.breaches ?? 0 },
      });
    else if (!v) {
      const reason = 'not evaluated: the watch ended before its first evaluation';
      ctx.check({ ...base, status: 'skip', reason });
      undecided(s.id, reason);
    } else if (v.state === 'healthy')
      ctx.check({
        ...base,
        status: 'pass',
        reason: `healthy at the last evaluation: ${v.reason}`,
        data: { breaches: v.breaches },
      });
    else {
      const reason = `inconclusive at the last evaluation (${v.state}): ${v.reason}`;
      ctx.check({ ...base, status: 'skip', reason, data: { breaches: v.breaches } });
      undecided(s.id, reason);
    }
  }
}

/** How a notification went, logged and recorded (a check of its own: who was told, or why not). */
function notified(
  ctx: SuiteContext,
  plan: WatchPlan,
  service: string,
  check: string,
  sent: ApiOutcome<void>,
  what: string,
): void {
  const reason = sent.ok ? `${what} was delivered` : `${what} failed: ${sent.failure.message}`;
  ctx.log(reason);
  ctx.check({
    suite: SUITE,
    environment: plan.target,
    service,
    check,
    status: sent.ok ? 'pass' : 'fail',
    reason,
    at: ctx.now().toISOString(),
  });
}

/** The recommendation to a webhook (JSON) and as an alert to the target's Alertmanager; failures are logged. */
async function notifyRollback(
  ctx: SuiteContext,
  plan: WatchPlan,
  rollback: { service: string; reason: string },
): Promise<void> {
  const api = { env: ctx.env };
  const at = ctx.now().toISOString();
  ctx.log(`ROLLBACK recommended: ${rollback.reason}`);
  if (plan.rollbackWebhook) {
    const client = new ApiClient('rollback webhook', { url: plan.rollbackWebhook, timeoutMs: 10_000 }, api);
    const sent = await client.request(
      {
        method: 'POST',
        path: '',
        json: {
          recommendation: 'rollback',
          environment: plan.target,
          service: rollback.service,
          reason: rollback.reason,
          runId: ctx.runId,
          at,
        },
      },
      (a) =>
        a.status >= 200 && a.status < 300
          ? { ok: true, value: undefined }
          : {
              ok: false,
              failure: {
                kind: 'http-status',
                status: a.status,
                message: `rollback webhook answered ${a.status}`,
                detail: '',
              },
            },
    );
    notified(
      ctx,
      plan,
      rollback.service,
      'rollback-webhook',
      sent,
      `the rollback webhook at ${shownUrl(plan.rollbackWebhook)}`,
    );
  }
  if (plan.alertmanager) {
    const am = new AlertmanagerClient(plan.alertmanager, api);
    const sent = await am.postAlerts([
      {
        labels: {
          alertname: 'CutoverRollbackRecommended',
          severity: 'critical',
          service: rollback.service,
          environment: plan.target,
        },
        annotations: {
          summary: `Roll back ${rollback.service}: the post-cutover watch saw it breach`,
          description: rollback.reason,
          run: ctx.runId,
        },
        startsAtMs: ctx.now().getTime(),
      },
    ]);
    notified(ctx, plan, rollback.service, 'rollback-alert', sent, `the alert to ${plan.alertmanager.url}`);
  }
}

export const postCutoverSuite: Suite<WatchPlan> = {
  id: 'post-cutover',
  title: 'Post-cutover watch',
  byDefault: false,
  async plan(ctx) {
    return planWatch(ctx.config, ctx, ctx.options.watch);
  },
  plannedChecks: (plan) =>
    plan.services.length + (plan.dns ? plan.dns.hosts.length * (1 + plan.dns.servers.length) : 0),
  run: runWatch,
};
