// The Kubernetes parts of the suite for one kubernetes environment: open the API with the config's
// kubeconfig and context, read the namespaces' objects once, then readiness, posture, inventory
// parity against the baseline's docker-compose.yml, and (opt-in) kube-bench Jobs.
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { inventoryFindings } from '../../core/inventory/findings.js';
import { compareInventory } from '../../core/inventory/parity.js';
import { emptyTotals, type SecurityFinding } from '../../core/security/finding.js';
import { evaluatePosture } from '../../core/security/posture.js';
import { evaluateReadiness } from '../../core/security/readiness.js';
import { openKubeAccess } from '../../runners/kube/client.js';
import { readComposeFile } from '../../runners/kube/compose-file.js';
import { runKubeBench } from '../../runners/kube/kube-bench.js';
import { readCluster } from '../../runners/kube/read-objects.js';
import type { SuiteContext } from '../suite.js';
import type { SecurityOptions } from './define.js';
import { report } from './evidence.js';

function publicHosts(config: ResolvedConfig, envName: string, services: readonly string[]): string[] {
  const env = config.environments[envName]!;
  return services
    .filter((id) => config.services[id]?.public !== false && env.services[id])
    .map((id) => new URL(env.services[id]!.url).hostname)
    .filter((h) => !/^\d+\.\d+\.\d+\.\d+$/.test(h) && h !== 'localhost');
}

export async function checkKubernetes(
  ctx: SuiteContext,
  envName: string,
  options: SecurityOptions,
): Promise<void> {
  const config = ctx.config;
  const env = config.environments[envName];
  if (env?.kind !== 'kubernetes') return;
  const settings = config.security;
  const kubeBenchOn = options.kubeBench ?? settings.kubeBench.enabled;
  const scopes = [
    'readiness',
    'posture',
    'inventory',
    ...(kubeBenchOn ? ['kube-bench' as const] : []),
  ] as const;
  const nothing = (reason: string) => {
    for (const scope of scopes)
      report(ctx, { environment: envName, scope, findings: [], status: 'could-not-check', reason });
  };

  const opened = openKubeAccess({
    ...((options.kubeconfig ?? env.kubeconfig) ? { kubeconfig: options.kubeconfig ?? env.kubeconfig } : {}),
    context: env.context,
    baseDir: config.rootDir,
    env: ctx.env,
    timeoutMs: settings.timeoutMs,
  });
  if (!opened.ok) return nothing(opened.reason);
  const access = opened.access;
  ctx.log(
    `security: reading ${env.namespaces.join(', ')} through ${access.server} (context ${access.context})`,
  );
  const read = await readCluster(access, env.namespaces);
  if (!read.reachable)
    return nothing(read.problems[0]?.message ?? `the API server ${access.server} did not answer`);
  const gaps = read.problems.map((p) => `${p.kind}${p.namespace ? ` in ${p.namespace}` : ''}: ${p.failure}`);
  const partial = gaps.length > 0;
  const gapText = partial
    ? `; not readable: ${gaps.slice(0, 4).join('; ')}${gaps.length > 4 ? ` (+${gaps.length - 4})` : ''}`
    : '';
  const inScope = read.objects.filter(
    (o) => o.kind !== 'Namespace' || env.namespaces.includes(o.metadata?.name ?? ''),
  );

  // Readiness
  const readiness = evaluateReadiness(inScope, {
    now: ctx.now(),
    warningWindowMinutes: settings.warningWindowMinutes,
    kubernetesMinor: 28,
    publicHosts: publicHosts(config, envName, ctx.services),
  });
  report(ctx, {
    environment: envName,
    scope: 'readiness',
    findings: readiness.findings,
    status: partial ? 'partial' : 'complete',
    reason: `${Object.entries(readiness.checked)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}${gapText}`,
    totals: readiness.totals,
  });

  // Posture
  const posture = evaluatePosture(inScope, { source: 'cluster', applicationNamespaces: env.namespaces });
  report(ctx, {
    environment: envName,
    scope: 'posture',
    findings: posture.findings,
    status: partial ? 'partial' : 'complete',
    reason: `${posture.workloads} workloads in ${env.namespaces.length} namespaces${gapText}`,
    totals: posture.totals,
    counts: { workloads: posture.workloads },
  });

  // Inventory parity against the baseline's Compose file
  const baseline = Object.values(config.environments).find((e) => e.kind === 'compose');
  if (baseline?.kind !== 'compose') {
    report(ctx, {
      environment: envName,
      scope: 'inventory',
      findings: [],
      status: 'could-not-check',
      reason: 'no compose environment in the config',
    });
  } else {
    const read = readComposeFile(resolve(config.rootDir, baseline.composeFile), {
      display: baseline.composeFile,
      profiles: settings.composeProfiles,
      env: ctx.env, // Compose interpolates from the environment first, then the .env beside the file
    });
    if (!read.ok) {
      report(ctx, {
        environment: envName,
        scope: 'inventory',
        findings: [],
        status: 'could-not-check',
        reason: read.reason,
      });
    } else {
      const compose = read.model;
      const inventory = compareInventory(compose, inScope);
      const findings = inventoryFindings(inventory);
      const matched = inventory.services.filter((s) => s.status === 'matched').length;
      report(ctx, {
        environment: envName,
        scope: 'inventory',
        findings,
        status: partial || compose.warnings.length > 0 ? 'partial' : 'complete',
        reason: `${matched} of ${inventory.services.length} Compose services matched${compose.warnings.length ? `; ${compose.warnings[0]}` : ''}${gapText}`,
        totals: { ...emptyTotals(), pass: matched, fail: inventory.services.length - matched },
      });
    }
  }

  // kube-bench (opt-in: it creates privileged Jobs)
  if (kubeBenchOn) {
    const findings: SecurityFinding[] = [];
    const problems: string[] = [];
    const totals = emptyTotals();
    let couldNot = 0;
    for (const variant of settings.kubeBench.variants) {
      ctx.log(`security: kube-bench ${variant} Job in ${settings.kubeBench.namespace}`);
      const r = await runKubeBench(access, {
        namespace: settings.kubeBench.namespace,
        variant,
        suffix: ctx.runId.slice(-12),
        timeoutMs: settings.kubeBench.timeoutSeconds * 1000,
        pollMs: 500,
        image: settings.kubeBench.image,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (!r.ok) {
        problems.push(`${variant}: ${r.reason}`);
        continue;
      }
      findings.push(...r.report.findings);
      couldNot += r.report.couldNotCheck.length;
      for (const k of ['pass', 'fail', 'warn', 'info'] as const) totals[k] += r.report.totals[k];
      if (r.report.couldNotCheck.length > 0)
        problems.push(
          `${variant}: ${r.report.couldNotCheck.length} checks kube-bench could not run (${r.report.couldNotCheck[0]!.reason})`,
        );
    }
    const ran =
      settings.kubeBench.variants.length -
      problems.filter((p) => !/checks kube-bench could not run/.test(p)).length;
    report(ctx, {
      environment: envName,
      scope: 'kube-bench',
      findings,
      status: ran === 0 ? 'could-not-check' : problems.length > 0 ? 'partial' : 'complete',
      reason:
        ran === 0
          ? problems.join('; ')
          : `kube-bench ${settings.kubeBench.variants.join(' + ')}: ${totals.pass} pass, ${totals.fail} fail, ${totals.warn} warn${problems.length ? `; ${problems.join('; ')}` : ''}`,
      totals,
      counts: { couldNotCheck: couldNot },
    });
  }
}
