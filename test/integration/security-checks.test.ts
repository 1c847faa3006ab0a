// Readiness and HTTP-security judgements on hand-made observations, and kube-bench as a Job through
// the real client against the stand-in API server (create, wait, read the log, clean up).

import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKubeSim, startKubeSim } from '../../sim/kube/index.js';
import { kubeBenchSim } from '../../sim/kube/kube-bench-sim.js';
import { writeKubeconfig } from '../../sim/kube/kubeconfig.js';
import {
  compareHttpSecurity,
  type EndpointObservation,
  evaluateHttpSecurity,
} from '../../src/core/security/http-security.js';
import type { K8sObject } from '../../src/core/security/objects.js';
import { evaluateReadiness } from '../../src/core/security/readiness.js';
import { openKubeAccess } from '../../src/runners/kube/client.js';
import { runKubeBench } from '../../src/runners/kube/kube-bench.js';
import { tmpDir } from '../helpers/project.js';

const NOW = new Date('2026-11-28T04:00:00Z');

describe('readiness', () => {
  const objects: K8sObject[] = [
    {
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.27.9' } },
    },
    {
      kind: 'Node',
      metadata: { name: 'n2' },
      status: {
        conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }],
        nodeInfo: { kubeletVersion: 'v1.28.15' },
      },
    },
    {
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'apps' },
      spec: { replicas: 2 },
      status: { availableReplicas: 1 },
    },
    {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'apps' },
      spec: { replicas: 1 },
      status: { readyReplicas: 0 },
    },
    {
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'apps' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'api', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    },
    {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'apps' },
      status: { phase: 'Pending' },
    },
    { kind: 'Service', metadata: { name: 'api', namespace: 'apps' }, spec: { selector: { app: 'api' } } },
    { kind: 'Endpoints', metadata: { name: 'api', namespace: 'apps' }, subsets: [] },
    {
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { rules: [{ host: 'web.example' }] },
    },
    {
      kind: 'IngressRoute',
      metadata: { name: 'r', namespace: 'apps' },
      spec: { routes: [{ match: 'Host(`admin.example`) && PathPrefix(`/`)' }] },
    },
    {
      kind: 'Application',
      metadata: { name: 'apps', namespace: 'argocd' },
      status: { sync: { status: 'OutOfSync' }, health: { status: 'Degraded' } },
    },
    {
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'apps' },
      status: { conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }] },
    },
    {
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'apps' },
      type: 'Warning',
      reason: 'BackOff',
      count: 4,
      lastTimestamp: '2026-11-28T03:55:00Z',
      involvedObject: { kind: 'Pod', namespace: 'apps', name: 'api-1' },
    },
    {
      kind: 'Event',
      metadata: { name: 'e2', namespace: 'apps' },
      type: 'Warning',
      reason: 'Old',
      lastTimestamp: '2026-11-27T03:55:00Z',
      involvedObject: { kind: 'Pod', namespace: 'apps', name: 'old' },
    },
  ];

  it('finds every kind of unreadiness with its object and field', () => {
    const r = evaluateReadiness(objects, {
      now: NOW,
      kubernetesMinor: 28,
      publicHosts: ['web.example', 'admin.example', 'api.example'],
    });
    const got = r.findings.map((f) => `${f.severity} ${f.check} ${f.object}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'high workload-available Deployment/apps/api',
        'critical workload-available StatefulSet/apps/db',
        'critical crash-loop Pod/apps/api-1',
        'high pod-ready Pod/apps/api-1',
        'high pvc-bound PersistentVolumeClaim/apps/data',
        'high service-endpoints Service/apps/api',
        'high ingress-route host api.example',
        'medium argocd-sync Application/argocd/apps',
        'high argocd-health Application/argocd/apps',
        'medium hpa-metrics HorizontalPodAutoscaler/apps/api',
        'low warning-events Pod/apps/api-1',
        'high node-ready Node/n2',
        'medium node-version Node/n1',
      ]),
    );
    expect(got.some((g) => g.includes('host web.example') || g.includes('host admin.example'))).toBe(false);
    expect(got.some((g) => g.includes('old'))).toBe(false); // outside the window
  });
});

describe('HTTP security', () => {
  const base = (o: Partial<EndpointObservation>): EndpointObservation => ({
    environment: 'target',
    service: 'grafana',
    url: 'https://grafana.example',
    https: true,
    status: 200,
    headers: {},
    probeOrigin: 'https://probe.invalid',
    admin: [],
    ...o,
  });

  it('judges TLS, HSTS, headers, CORS and admin paths', () => {
    const findings = evaluateHttpSecurity(
      [
        base({
          tls: {
            protocol: 'TLSv1.1',
            authorized: false,
            authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN',
            daysToExpiry: 3,
          },
          headers: { 'strict-transport-security': 'max-age=300', 'access-control-allow-origin': '*' },
          cors: { allowOrigin: '*', allowCredentials: 'true' },
          admin: [
            { label: 'Traefik dashboard', path: '/dashboard/', status: 200 },
            { label: 'OpenBao sys API', path: '/v1/sys/mounts', status: 403 },
            { label: 'Prometheus admin API', path: '/api/v1/admin/tsdb/snapshot', status: 405 },
            { label: 'Traefik API', path: '/api/rawdata', status: 404 },
          ],
        }),
      ],
      14,
    );
    const got = findings.map((f) => `${f.severity} ${f.check} ${f.path}`);
    expect(got).toEqual([
      'high tls-version tls.protocol',
      'high tls-chain tls.certificate',
      'high tls-expiry tls.certificate.notAfter',
      'medium hsts headers.strict-transport-security',
      'low security-headers headers',
      'high cors headers.access-control-allow-origin',
      'high admin-endpoint /dashboard/',
      'low admin-endpoint /v1/sys/mounts',
      'medium admin-endpoint /api/v1/admin/tsdb/snapshot',
    ]);
  });

  it('passes a well-configured endpoint and reports a header the target lost', () => {
    const good = base({
      environment: 'baseline',
      tls: { protocol: 'TLSv1.3', authorized: true, daysToExpiry: 60 },
      headers: {
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "frame-ancestors 'none'",
        'referrer-policy': 'strict-origin-when-cross-origin',
      },
    });
    expect(evaluateHttpSecurity([good], 14)).toEqual([]);
    const lost = base({
      headers: { ...good.headers, 'content-security-policy': undefined as unknown as string },
    });
    delete lost.headers['content-security-policy'];
    expect(compareHttpSecurity([good], [lost]).map((f) => `${f.check} ${f.path}`)).toEqual([
      'header-lost headers.content-security-policy',
    ]);
  });
});

describe('kube-bench as a Job through the API', () => {
  let kube: RunningKubeSim;
  let kubeconfig: string;
  beforeAll(async () => {
    kube = await startKubeSim({ setup: kubeBenchSim });
    kubeconfig = writeKubeconfig(join(tmpDir('kb'), 'kubeconfig'), { server: kube.url, context: 'sim' });
  });
  afterAll(async () => kube?.stop());

  const access = () => {
    const a = openKubeAccess({ kubeconfig, context: 'sim', baseDir: '/', env: {} });
    if (!a.ok) throw new Error(a.reason);
    return a.access;
  };

  it('creates the pinned Job, reads the JSON from the pod log and deletes the Job and its pod', async () => {
    const seen: string[] = [];
    kube.cluster.on('Job', (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    const r = await runKubeBench(access(), {
      namespace: 'kube-system',
      variant: 'node',
      suffix: 't1',
      pollMs: 10,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.benchmark).toBe('cis-1.10');
    expect(r.report.totals.fail).toBe(0);
    expect(seen).toEqual(
      expect.arrayContaining(['ADDED cutover-kube-bench-node-t1', 'DELETED cutover-kube-bench-node-t1']),
    );
    const pods = await access().kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'kube-system' });
    expect(pods.items).toHaveLength(0);
  });

  it('reports a log that is not kube-bench JSON, and a Forbidden create, as failures to run', async () => {
    kube.cluster.on('Pod', (e) => {
      if (e.type === 'ADDED' && e.object.metadata.name.startsWith('cutover-kube-bench-master-bad')) {
        kube.cluster.setPodLog(
          'kube-system',
          e.object.metadata.name,
          'kube-bench',
          'F1128 error: unable to determine benchmark version\n',
        );
      }
    });
    const bad = await runKubeBench(access(), {
      namespace: 'kube-system',
      variant: 'master',
      suffix: 'bad',
      pollMs: 10,
    });
    expect(bad).toMatchObject({ ok: false, failure: 'parse' });
    const denied = await startKubeSim({ deny: [{ verb: 'create', resource: 'jobs' }] });
    try {
      const file = writeKubeconfig(join(tmpDir('kb-denied'), 'kubeconfig'), {
        server: denied.url,
        context: 'sim',
      });
      const a = openKubeAccess({ kubeconfig: file, context: 'sim', baseDir: '/', env: {} });
      if (!a.ok) throw new Error(a.reason);
      const r = await runKubeBench(a.access, { namespace: 'kube-system', variant: 'node', suffix: 'x' });
      expect(r).toMatchObject({ ok: false, failure: 'forbidden' });
      if (!r.ok) expect(r.reason).toMatch(/jobs is forbidden/);
    } finally {
      await denied.stop();
    }
  });
});
