// Fidelity of the stand-in Kubernetes API server: the real @kubernetes/client-node and the real kubectl
// talk to it unchanged (discovery, list with selectors, get, create, patch, delete with garbage
// collection, watch, pods/log, Status errors).
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKubeSim, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { ROOT, tmpDir } from '../helpers/project.js';

const run = promisify(execFile);
// kubectl comes from the machine (Debian's kubernetes-client or the upstream kubectl package);
// KUBECTL=/path/to/kubectl runs the fidelity tests with another one (e.g. Debian's 1.20 unpacked with dpkg -x).
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const hasKubectl = (() => {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const DEMO = readFileSync(join(ROOT, 'test/fixtures/manifests/microservices-demo-v0.10.6.yaml'), 'utf8');

let kube: RunningKubeSim;
let kubeconfigFile: string;
let kc: KubeConfig;

beforeAll(async () => {
  kube = await startKubeSim({
    manifests: [{ text: DEMO, source: 'microservices-demo' }],
    deny: [{ verb: 'list', resource: 'clusterrolebindings' }],
  });
  kubeconfigFile = writeKubeconfig(join(tmpDir('kube-standin'), 'kubeconfig'), {
    server: kube.url,
    context: 'sim',
    namespace: 'default',
  });
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfigFile);
});

afterAll(async () => kube?.stop());

const kubectl = (...args: string[]) =>
  run(KUBECTL, ['--kubeconfig', kubeconfigFile, ...args], { timeout: 20_000 });

describe('the stand-in API server with @kubernetes/client-node', () => {
  it('lists workloads and pods, with label selectors', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const deployments = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(deployments.items.map((d) => d.metadata?.name)).toContain('frontend');
    expect(deployments.items).toHaveLength(12);
    const frontend = deployments.items.find((d) => d.metadata?.name === 'frontend');
    expect(frontend?.status?.availableReplicas).toBe(1);

    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app in (frontend,cartservice)',
    });
    expect(pods.items.map((p) => p.metadata?.labels?.app).sort()).toEqual(['cartservice', 'frontend']);
    expect(pods.items.every((p) => p.status?.phase === 'Running')).toBe(true);
    const notFrontend = await core.listPodForAllNamespaces({ labelSelector: 'app!=frontend' });
    expect(notFrontend.items).toHaveLength(11);
    const named = await core.listNamespacedPod({ namespace: 'default', fieldSelector: 'metadata.name!=x' });
    expect(named.items).toHaveLength(12);
    const byPhase = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running' });
    expect(byPhase.items).toHaveLength(12);
    const onePod = pods.items[0]!.metadata!.name!;
    const byName = await core.listNamespacedPod({
      namespace: 'default',
      fieldSelector: `metadata.name=${onePod}`,
    });
    expect(byName.items.map((p) => p.metadata?.name)).toEqual([onePod]);
    // An inherited property is no field: `constructor.name` would be "Object" on every pod if it were.
    const inherited = await core.listNamespacedPod({
      namespace: 'default',
      fieldSelector: 'constructor.name=Object',
    });
    expect(inherited.items).toHaveLength(0);
  });

  it('answers 404 Status for a missing object and 403 Forbidden for a denied verb', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.readNamespacedService({ name: 'nope', namespace: 'default' })).rejects.toMatchObject({
      code: 404,
    });
    const rbac = await import('@kubernetes/client-node').then((m) =>
      kc.makeApiClient(m.RbacAuthorizationV1Api),
    );
    await expect(rbac.listClusterRoleBinding()).rejects.toMatchObject({ code: 403 });
  });

  it('creates a Job, runs its pod, serves the pod log, and deletes the pod with the Job', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    kube.cluster.on('Pod', (event, cluster) => {
      if (event.type === 'ADDED' && event.object.metadata.labels?.['job-name'] === 'probe') {
        cluster.setPodLog('default', event.object.metadata.name, 'main', 'line 1\nline 2\n');
      }
    });
    await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'probe' },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] },
          },
        },
      },
    });
    const job = await batch.readNamespacedJob({ name: 'probe', namespace: 'default' });
    expect(job.status?.conditions?.[0]?.type).toBe('Complete');
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'job-name=probe' });
    expect(pods.items).toHaveLength(1);
    const name = pods.items[0]!.metadata!.name!;
    const log = await core.readNamespacedPodLog({ name, namespace: 'default', container: 'main' });
    expect(log).toBe('line 1\nline 2\n');

    const { stdout } = await kubectl('logs', name, '--tail=1');
    expect(stdout).toBe('line 2\n');

    await batch.deleteNamespacedJob({ name: 'probe', namespace: 'default', propagationPolicy: 'Background' });
    const after = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'job-name=probe' });
    expect(after.items).toHaveLength(0);
  });

  it('stores a Secret’s stringData in data, base64, as the real API server writes it', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'fold' }, type: 'Opaque', data: { a: 'eA==' }, stringData: { b: 'plain' } },
    });
    const read = await core.readNamespacedSecret({ name: 'fold', namespace: 'default' });
    expect(read.data).toEqual({ a: 'eA==', b: Buffer.from('plain').toString('base64') });
    expect(read.stringData).toBeUndefined();
    await core.deleteNamespacedSecret({ name: 'fold', namespace: 'default' });
  });

  it('applies a merge patch and streams watch events', { timeout: 15_000 }, async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const events: string[] = [];
    const watch = new Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type, obj: { metadata?: { name?: string } }) => events.push(`${type} ${obj.metadata?.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w' }, data: { a: '1' } },
    });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'w', namespace: 'default', body: { data: { b: '2' } } },
      (await import('@kubernetes/client-node')).setHeaderOptions(
        'Content-Type',
        'application/merge-patch+json',
      ),
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'default' });
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
    req.abort();
  });
});

describe('extending the stand-in (a k6-operator-like controller)', () => {
  it('lets a hook turn a custom resource into a manual Job whose pods and logs it controls', async () => {
    const { CustomObjectsApi } = await import('@kubernetes/client-node');
    const { MANUAL_JOB_ANNOTATION } = await import('../../sim/kube/index.js');
    kube.cluster.on('TestRun', (event, cluster) => {
      if (event.type !== 'ADDED') return;
      const ns = event.object.metadata.namespace ?? 'default';
      const name = `${event.object.metadata.name}-1`;
      cluster.apply({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: ns, annotations: { [MANUAL_JOB_ANNOTATION]: 'true' } },
        spec: { template: { spec: { containers: [{ name: 'k6', image: 'grafana/k6:0.54.0' }] } } },
      });
      cluster.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-runner`, namespace: ns, labels: { k6_cr: event.object.metadata.name } },
        spec: { containers: [{ name: 'k6', image: 'grafana/k6:0.54.0' }] },
        status: { phase: 'Running' },
      });
      cluster.setPodLog(ns, `${name}-runner`, 'k6', 'running (0m01.0s), 10/10 VUs\n');
    });
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      group: 'k6.io',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'testruns',
      body: {
        apiVersion: 'k6.io/v1alpha1',
        kind: 'TestRun',
        metadata: { name: 'smoke' },
        spec: { parallelism: 1 },
      },
    });
    const job = await kc
      .makeApiClient(BatchV1Api)
      .readNamespacedJob({ name: 'smoke-1', namespace: 'default' });
    expect(job.status?.conditions ?? []).toEqual([]); // left to the extension
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'k6_cr=smoke' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['smoke-1-runner']);
    expect(await core.readNamespacedPodLog({ name: 'smoke-1-runner', namespace: 'default' })).toMatch(
      /10\/10 VUs/,
    );
  });
});

describe.skipIf(!hasKubectl)('the stand-in API server with kubectl', () => {
  it('gets and lists objects with server-side printing', async () => {
    const { stdout: version } = await kubectl('version', '-o', 'json');
    expect(JSON.parse(version).serverVersion.gitVersion).toBe('v1.28.15');
    const { stdout: pods } = await kubectl('get', 'pods', '-l', 'app=frontend');
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(pods).toMatch(/frontend-\S+\s+1\/1\s+Running\s+0/);
    const { stdout: all } = await kubectl('get', 'deploy,svc', '-A', '-o', 'name');
    expect(all.split('\n')).toContain('deployment.apps/redis-cart');
    expect(all.split('\n')).toContain('service/frontend-external');
    const { stdout: json } = await kubectl('get', 'deployment', 'frontend', '-o', 'json');
    expect(JSON.parse(json).spec.template.spec.containers[0].name).toBe('server');
  });

  it('reports a missing object as kubectl does for a real server', async () => {
    await expect(kubectl('get', 'pod', 'nope')).rejects.toMatchObject({
      stderr: expect.stringContaining('pods "nope" not found'),
    });
  });
});

describe.skipIf(!hasKubectl)('the stand-in API server over HTTPS with a bearer token', () => {
  it('lets kubectl and client-node in with the token and refuses them without it', async () => {
    const { makePki } = await import('../helpers/tls.js');
    const pki = makePki();
    const secure = await startKubeSim({ tls: pki.leaf('localhost', 5), token: 's3cret' });
    try {
      const server = secure.url.replace('127.0.0.1', 'localhost');
      const dir = tmpDir('kube-tls');
      const good = writeKubeconfig(join(dir, 'good'), {
        server,
        context: 'tls',
        token: 's3cret',
        caCert: pki.caCert,
      });
      const bad = writeKubeconfig(join(dir, 'bad'), {
        server,
        context: 'tls',
        token: 'wrong',
        caCert: pki.caCert,
      });
      const { stdout } = await run(KUBECTL, ['--kubeconfig', good, 'get', 'nodes', '-o', 'name'], {
        timeout: 20_000,
      });
      expect(stdout.trim()).toBe('node/sim-node-1');
      await expect(
        run(KUBECTL, ['--kubeconfig', bad, 'get', 'nodes'], { timeout: 20_000 }),
      ).rejects.toMatchObject({
        stderr: expect.stringMatching(/Unauthorized|provide credentials/),
      });
      const client = new KubeConfig();
      client.loadFromFile(good);
      const nodes = await client.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items[0]?.status?.nodeInfo?.kubeletVersion).toBe('v1.28.15');
    } finally {
      await secure.stop();
    }
  });
});
