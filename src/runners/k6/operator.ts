// `--engine k6-operator --parallelism N`: each block's scenarios run as k6-operator TestRuns in the
// target cluster. The bundle goes into a ConfigMap, the scenario's secrets into a Secret the runners read
// through envFrom (never into the TestRun spec), and the runners write k6's JSON lines to their log. A
// finished TestRun does not mean passed (the operator counts failed Jobs as finished): every runner Job
// and pod is read, and the runners' latency distributions are merged point by point into one HDR
// histogram, so percentiles are exact — the operator itself leaves each runner's summary unmerged.
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';
import { call, classifyKubeError, type KubeAccess, openKubeAccess } from '../kube/client.js';
import { pollPause } from '../kube/wait.js';
import type { BlockJob, BlockRunner, EnginePlan } from '../load/engine-input.js';
import { mergeSlices, type SliceResult } from '../load/recorder.js';
import type { SeriesPoint } from '../load/series.js';
import { bundleK6Script } from './build.js';
import { k6RunEnv, SETUP_DATA } from './engine.js';
import { dnsName, refuseInternalPins } from './operator-input.js';
import { readK6Text, requestsMeasured, sliceFromRunnerSummary } from './parse.js';
import { reconcileRunner } from './runner-reconcile.js';
import { findRunnerSummary } from './runner-summary.js';
import { K6SeriesBuilder, seriesOfRunners } from './series.js';
import { readUserScriptText } from './user-script.js';

const GROUP = 'k6.io';
const VERSION = 'v1alpha1';
const PLURAL = 'testruns';
/** A ConfigMap holds at most 1 MiB (docs: k6-operator); a bundle near that needs a volume instead. */
const CONFIGMAP_LIMIT = 1024 * 1024 - 1024;

export interface OperatorOptions {
  /** The cluster the TestRuns go to: the target environment's kubeconfig and context, relative to baseDir. */
  cluster: { kubeconfig?: string; context: string; namespaces: readonly string[]; baseDir: string };
  /** Where the TestRuns are created. @default the cluster's first namespace */
  namespace?: string;
  /** The runner image (pinned by the config's default). */
  image: string;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** Each second of each TestRun, its runners merged by time stamp (the run record's series). */
  onSeries?: (p: SeriesPoint) => void;
  runId: string;
}

/** The cluster the runners go to. */
function clusterAccess(o: OperatorOptions): { access: KubeAccess; namespace: string } {
  const { cluster } = o;
  const opened = openKubeAccess({
    ...(cluster.kubeconfig ? { kubeconfig: cluster.kubeconfig } : {}),
    context: cluster.context,
    baseDir: cluster.baseDir,
    env: o.env,
  });
  if (!opened.ok) throw new UserError(`--engine k6-operator: ${opened.reason}`);
  return { access: opened.access, namespace: o.namespace ?? cluster.namespaces[0]! };
}

/**
 * One runner's results: from its summary line (runner-summary.ts), which does not depend on how much
 * of its log the kubelet kept, checked against k6's own request count; its log lends error messages
 * and, read alone, stands in only with the shortfall stated (kept out of the evidence).
 */
export function runnerResult(
  runner: string,
  log: string,
  scenario: string,
  environment: string,
  block: number,
  say: (line: string) => void,
): SliceResult {
  const fromLog = readK6Text(log, scenario, environment);
  const summary = findRunnerSummary(log);
  const { shortfall, note } = reconcileRunner({
    runner,
    ...(summary ? { summary } : {}),
    samplesRead: requestsMeasured(fromLog),
  });
  const where = `${scenario} on ${environment}, ${block < 0 ? 'warm-up' : `block ${block}`}`;
  if (note) say(`k6-operator: ${note} (${where})`);
  const result = summary ? sliceFromRunnerSummary(summary, environment, fromLog) : fromLog;
  if (shortfall) {
    say(`k6-operator: measurements incomplete (${where}): ${shortfall}`);
    result.incomplete = [`${where}: ${shortfall}`];
  }
  return result;
}

/** Where a runner finds the target environment's CA (tls.caFile), mounted from a ConfigMap. */
const CA_DIR = '/etc/cutover-ca';
const CA_FILE = 'ca.pem';

export async function operatorEngine(
  plan: EnginePlan,
  o: OperatorOptions,
): Promise<{ runBlock: BlockRunner; close: () => Promise<void> }> {
  refuseInternalPins(plan);
  const { access, namespace } = clusterAccess(o);
  const core = access.kc.makeApiClient(CoreV1Api);
  const batch = access.kc.makeApiClient(BatchV1Api);
  const custom = access.kc.makeApiClient(CustomObjectsApi);
  const image = o.image;
  const prefix = dnsName(`cutover-${o.runId}`);
  const created: Array<{ kind: 'ConfigMap' | 'Secret' | 'TestRun'; name: string }> = [];
  const scripts = new Map<string, string>();
  /** ConfigMaps holding an environment's CA, by environment. */
  const caMaps = new Map<string, string>();
  for (const { module } of plan.scenarios) {
    const b = await bundleK6Script(module, { runnerSummary: true });
    if (b.bytes > CONFIGMAP_LIMIT)
      throw new UserError(
        `the k6 script of ${b.scenario} is ${b.bytes} bytes; a ConfigMap holds at most 1 MiB`,
      );
    scripts.set(b.scenario, b.text);
  }
  try {
    for (const [scenario, text] of scripts) {
      const name = dnsName(`${prefix}-${scenario}`);
      await call(access, `create ConfigMap ${namespace}/${name}`, () =>
        core.createNamespacedConfigMap({
          namespace,
          body: {
            metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'cutover' } },
            data: { 'test.js': text },
          },
        }),
      );
      created.push({ kind: 'ConfigMap', name });
    }
    // An environment's own CA (tls.caFile) goes to the runners as a ConfigMap mounted read-only, named
    // to k6 by SSL_CERT_FILE — as the local k6 engine and the embedded engine trust it.
    for (const environment of plan.environments) {
      const ca = plan.scenarios.map((s) => s.targets[environment]?.ca).find((c) => c !== undefined);
      if (!ca) continue;
      const name = dnsName(`${prefix}-ca-${environment}`);
      await call(access, `create ConfigMap ${namespace}/${name}`, () =>
        core.createNamespacedConfigMap({
          namespace,
          body: {
            metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'cutover' } },
            data: { [CA_FILE]: ca },
          },
        }),
      );
      created.push({ kind: 'ConfigMap', name });
      caMaps.set(environment, name);
    }
  } catch (error) {
    throw new UserError(`--engine k6-operator: ${classifyKubeError(error).message}`);
  }
  o.log(
    `k6-operator: ${scripts.size} script(s) in ConfigMaps in ${namespace} on ${access.server}, ${plan.parallelism} runner(s) per TestRun`,
  );

  const runOne = async (job: BlockJob, index: number): Promise<SliceResult> => {
    const scenario = job.planned.module.scenario.name;
    const name = dnsName(`${prefix}-${scenario}-${job.environment.slice(0, 4)}-${index < 0 ? 'w' : index}`);
    const caMap = caMaps.get(job.environment);
    const env = k6RunEnv(plan, job, {}, caMap ? `${CA_DIR}/${CA_FILE}` : undefined);
    // The scenario's variables and the setup's values (a captured token is as secret as a client
    // secret) go into a Secret, never into the TestRun's spec.
    const secretKeys = [
      ...Object.keys(job.planned.env).filter((k) => job.planned.env[k] !== undefined),
      ...(env[SETUP_DATA] !== undefined ? [SETUP_DATA] : []),
    ];
    if (secretKeys.length > 0) {
      await call(access, `create Secret ${name}`, () =>
        core.createNamespacedSecret({
          namespace,
          body: {
            metadata: { name },
            type: 'Opaque',
            stringData: Object.fromEntries(secretKeys.map((k) => [k, env[k]!])),
          },
        }),
      );
      created.push({ kind: 'Secret', name });
    }
    const plain = Object.entries(env)
      .filter(([k]) => !secretKeys.includes(k) && k !== 'PATH' && k !== 'HOME')
      .map(([k, value]) => ({ name: k, value }));
    const body = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'TestRun',
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/managed-by': 'cutover',
          'cutover.dev/scenario': scenario,
          'cutover.dev/environment': job.environment,
        },
      },
      spec: {
        parallelism: plan.parallelism,
        script: { configMap: { name: dnsName(`${prefix}-${scenario}`), file: 'test.js' } },
        // JSON lines on stdout become the runner's pod log, which is read back and merged.
        arguments: `--out json=- --tag environment=${job.environment}`,
        runner: {
          image,
          env: plain,
          ...(secretKeys.length > 0 ? { envFrom: [{ secretRef: { name } }] } : {}),
          ...(caMap
            ? {
                volumes: [{ name: 'cutover-ca', configMap: { name: caMap } }],
                volumeMounts: [{ name: 'cutover-ca', mountPath: CA_DIR, readOnly: true }],
              }
            : {}),
        },
      },
    };
    await call(access, `create TestRun ${namespace}/${name}`, () =>
      custom.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        body,
      }),
    );
    created.push({ kind: 'TestRun', name });
    const deadline = Date.now() + job.profile.durationMs + job.profile.gracefulStopMs + 300_000;
    let stage = '';
    while (stage !== 'finished' && stage !== 'error') {
      if (o.signal?.aborted) throw new Error('interrupted');
      if (Date.now() > deadline)
        throw new Error(`TestRun ${name} did not finish (stage "${stage || 'none'}")`);
      await pollPause(250, o.signal);
      const tr = (await call(access, `read TestRun ${name}`, () =>
        custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name }),
      )) as { status?: { stage?: string; conditions?: Array<{ reason?: string }> } };
      stage = tr.status?.stage ?? '';
      if (stage === 'error') {
        throw new Error(
          `TestRun ${name} ended in stage "error": ${tr.status?.conditions?.map((c) => c.reason).join('; ') || 'no reason given'}`,
        );
      }
    }
    // `finished` is not `passed`: read every runner Job and its pod.
    const jobs = await call(access, `list runner Jobs of ${name}`, () =>
      batch.listNamespacedJob({ namespace, labelSelector: `k6_cr=${name},runner=true` }),
    );
    if (jobs.items.length !== plan.parallelism) {
      throw new Error(`TestRun ${name} has ${jobs.items.length} runner Jobs, expected ${plan.parallelism}`);
    }
    const parts: SliceResult[] = [];
    const logs: string[] = [];
    const failures: string[] = [];
    for (const j of jobs.items) {
      const jobName = j.metadata?.name ?? '?';
      const pods = await call(access, `list pods of ${jobName}`, () =>
        core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` }),
      );
      const pod = pods.items[0];
      if (!pod?.metadata?.name) {
        failures.push(`${jobName}: no pod`);
        continue;
      }
      const exit = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
      const log = await call(access, `read log of ${pod.metadata.name}`, () =>
        core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'k6' }),
      );
      // 99: thresholds crossed on this runner's slice only — its measurements are still whole.
      if ((j.status?.failed ?? 0) > 0 && exit !== 99) {
        const last =
          String(log)
            .trim()
            .split('\n')
            .filter((l) => !l.startsWith('{'))
            .at(-1) ?? '';
        failures.push(`${jobName} failed (exit code ${exit ?? 'unknown'})${last ? `: ${last}` : ''}`);
        continue;
      }
      // A team's own script runs as written (no runner summary): its results come from its log alone.
      parts.push(
        job.planned.module.k6Script
          ? readUserScriptText(String(log), scenario, job.environment)
          : runnerResult(jobName, String(log), scenario, job.environment, index, o.log),
      );
      logs.push(String(log));
    }
    if (failures.length > 0)
      throw new Error(
        `k6-operator runners failed for ${scenario} on ${job.environment}: ${failures.join('; ')}`,
      );
    if (o.onSeries)
      seriesOfRunners(logs, scenario, new K6SeriesBuilder(scenario, job.environment, index, o.onSeries));
    return mergeSlices(parts);
  };

  return {
    runBlock: (jobs, _block, index) => Promise.all(jobs.map((j) => runOne(j, index))),
    close: async () => {
      // Deleting a TestRun deletes its Jobs and pods (owner references), as `cleanup: post` would.
      for (const c of created.reverse()) {
        await call(access, `delete ${c.kind} ${c.name}`, () =>
          c.kind === 'TestRun'
            ? custom.deleteNamespacedCustomObject({
                group: GROUP,
                version: VERSION,
                namespace,
                plural: PLURAL,
                name: c.name,
              })
            : c.kind === 'Secret'
              ? core.deleteNamespacedSecret({ name: c.name, namespace })
              : core.deleteNamespacedConfigMap({ name: c.name, namespace }),
        ).catch((error) =>
          o.log(`k6-operator: could not delete ${c.kind} ${c.name}: ${classifyKubeError(error).message}`),
        );
      }
    },
  };
}
