// The k6-operator's controller, simulated on the stand-in API server: a TestRun becomes the operator's
// Jobs (initializer, starter, runners 1..n with its labels and runner command), each runner "pod" runs
// k6 over its execution segment — a k6 executable on this machine plays the pod's container — and its
// output becomes the pod's log. Like the real operator (internal/controller k6_finish.go), the TestRun
// goes to `finished` once no runner is active, failed runners included: only the runner Jobs and pods say
// whether they passed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeCluster } from './cluster.js';
import { MANUAL_JOB_ANNOTATION } from './controllers.js';
import type { KubeObject } from './store.js';

// biome-ignore lint/suspicious/noExplicitAny: custom resource specs are free-form
type Any = Record<string, any>;

export interface K6OperatorSimOptions {
  /** The k6 executable a runner pod runs (tests pass the k6 stand-in). @default "k6" on PATH */
  k6?: string;
  /** Variables the runner image itself sets (tests pass the k6 stand-in's knobs here). */
  env?: Record<string, string>;
}

/** `0,1/n,2/n,…,1` and the i-th segment `(i-1)/n:i/n`, as pkg/resources/jobs/runner.go writes them. */
export function executionSegments(n: number): { sequence: string; segment: (i: number) => string } {
  const point = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return {
    sequence: Array.from({ length: n + 1 }, (_, k) => point(k)).join(','),
    segment: (i) => `${point(i - 1)}:${point(i)}`,
  };
}

export function installK6OperatorSim(cluster: KubeCluster, options: K6OperatorSimOptions = {}): void {
  const started = new Set<string>();
  cluster.on('TestRun', (event) => {
    const tr = event.object;
    const key = `${tr.metadata.namespace}/${tr.metadata.name}`;
    if (event.type === 'DELETED') {
      started.delete(key);
      return;
    }
    if (started.has(key)) return;
    started.add(key);
    // After the creating request has been answered, as a controller reacts to a watch event.
    setImmediate(() => void reconcile(cluster, tr, options.k6 ?? 'k6', options.env ?? {}));
  });
}

function setStage(cluster: KubeCluster, tr: KubeObject, stage: string, extra: Any = {}): KubeObject {
  const current = cluster.find('TestRun', tr.metadata.namespace, tr.metadata.name);
  if (!current) return tr;
  return cluster.apply({ ...current, status: { ...(current.status as Any), stage, ...extra } });
}

function owner(tr: KubeObject) {
  return [
    {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      name: tr.metadata.name,
      uid: tr.metadata.uid,
      controller: true,
    },
  ];
}

/** A Job of the TestRun as the operator writes it: one k6 container, never retried, owned by the TestRun. */
function operatorJob(
  tr: KubeObject,
  name: string,
  labels: Record<string, string>,
  container: Any,
  extra: { annotations?: Record<string, string>; status?: Any } = {},
): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: tr.metadata.namespace ?? 'default',
      labels,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ownerReferences: owner(tr),
    },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [container] } } },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

async function reconcile(
  cluster: KubeCluster,
  tr: KubeObject,
  k6: string,
  imageEnv: Record<string, string>,
): Promise<void> {
  const ns = tr.metadata.namespace ?? 'default';
  const name = tr.metadata.name;
  const spec = (tr.spec ?? {}) as Any;
  const n = Number(spec.parallelism);
  setStage(cluster, tr, 'initialization');
  const cmRef = spec.script?.configMap as { name?: string; file?: string } | undefined;
  const cm = cmRef?.name ? cluster.find('ConfigMap', ns, cmRef.name) : undefined;
  const file = cmRef?.file ?? 'test.js';
  const script = (cm?.data as Record<string, string> | undefined)?.[file];
  if (!Number.isInteger(n) || n < 1 || script === undefined) {
    setStage(cluster, tr, 'error', {
      conditions: [
        {
          type: 'TestRunRunning',
          status: 'False',
          reason:
            script === undefined ? `script ${cmRef?.name ?? '?'}/${file} not found` : 'invalid parallelism',
        },
      ],
    });
    return;
  }
  const labels = { app: 'k6', k6_cr: name };
  const image = spec.runner?.image ?? 'grafana/k6:latest';
  for (const role of ['initializer', 'starter']) {
    cluster.apply(operatorJob(tr, `${name}-${role}`, { ...labels, [role]: 'true' }, { name: 'k6', image }));
  }
  setStage(cluster, tr, 'initialized');
  const seg = executionSegments(n);
  const work = mkdtempSync(join(tmpdir(), `k6-operator-${name}-`));
  const scriptFile = join(work, file);
  writeFileSync(scriptFile, script);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...imageEnv,
  };
  for (const e of (spec.runner?.env ?? []) as Array<{ name: string; value?: string }>)
    if (e.value !== undefined) env[e.name] = e.value;
  for (const from of (spec.runner?.envFrom ?? []) as Array<{
    secretRef?: { name: string };
    configMapRef?: { name: string };
  }>) {
    const src = from.secretRef
      ? cluster.find('Secret', ns, from.secretRef.name)
      : from.configMapRef
        ? cluster.find('ConfigMap', ns, from.configMapRef.name)
        : undefined;
    const data = (src?.data ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(data))
      env[k] = from.secretRef ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  const userArgs = String(spec.arguments ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const runners = Array.from({ length: n }, (_, idx) => {
    const i = idx + 1;
    const jobName = `${name}-${i}`;
    const args = [
      'run',
      '--quiet',
      `--execution-segment=${seg.segment(i)}`,
      `--execution-segment-sequence=${seg.sequence}`,
      ...userArgs,
      `/test/${file}`,
      '--address=0.0.0.0:6565',
      '--paused',
      '--tag',
      `instance_id=${i}`,
      '--tag',
      `testrun_name=${name}`,
    ];
    const container = { name: 'k6', image, command: ['k6', ...args] };
    const job = cluster.apply(
      operatorJob(tr, jobName, { ...labels, runner: 'true' }, container, {
        annotations: { [MANUAL_JOB_ANNOTATION]: 'true' },
        status: { active: 1, startTime: cluster.now().toISOString() },
      }),
    );
    const podName = `${jobName}-${String(job.metadata.uid).slice(0, 5)}`;
    cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: ns,
        labels: { ...labels, runner: 'true', 'job-name': jobName },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: jobName, uid: job.metadata.uid, controller: true },
        ],
      },
      spec: { restartPolicy: 'Never', containers: [container] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'k6', ready: true, state: { running: { startedAt: cluster.now().toISOString() } } },
        ],
      },
    });
    // The pod's container sees the script at /test/<file>; here that path is the temporary copy.
    return { job, podName, args: args.map((a) => (a === `/test/${file}` ? scriptFile : a)) };
  });
  setStage(cluster, tr, 'created');
  setStage(cluster, tr, 'started', {
    conditions: [{ type: 'TestRunRunning', status: 'True', reason: 'TestRunRunningTrue' }],
  });
  await Promise.all(
    runners.map(async ({ job, podName, args }) => {
      const { code, log } = await runContainer(k6, args, env);
      cluster.setPodLog(ns, podName, 'k6', log);
      const pod = cluster.find('Pod', ns, podName);
      const terminated = {
        exitCode: code,
        reason: code === 0 ? 'Completed' : 'Error',
        finishedAt: cluster.now().toISOString(),
      };
      if (pod)
        cluster.apply({
          ...pod,
          status: {
            phase: code === 0 ? 'Succeeded' : 'Failed',
            containerStatuses: [{ name: 'k6', ready: false, state: { terminated } }],
          },
        });
      const current = cluster.find('Job', ns, job.metadata.name) ?? job;
      const cond =
        code === 0
          ? { type: 'Complete', status: 'True' }
          : { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' };
      cluster.apply({
        ...current,
        status: {
          startTime: (current.status as Any)?.startTime,
          ...(code === 0 ? { succeeded: 1 } : { failed: 1 }),
          conditions: [cond],
        },
      });
    }),
  );
  rmSync(work, { recursive: true, force: true });
  setStage(cluster, tr, 'stopped');
  setStage(cluster, tr, 'finished', {
    conditions: [{ type: 'TestRunRunning', status: 'False', reason: 'TestRunRunningFalse' }],
  });
}

function runContainer(
  k6: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; log: string }> {
  return new Promise((done) => {
    const child = spawn(k6, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    // As a container runtime reports a missing entrypoint.
    child.on('error', (e) => done({ code: 127, log: `exec: "${k6}": ${e.message}\n` }));
    child.on('close', (code) => done({ code: code ?? 137, log: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The extension as the demo cluster registers it (sim/kube/extensions.ts). */
export const k6OperatorSim = (cluster: KubeCluster): void => installK6OperatorSim(cluster);
