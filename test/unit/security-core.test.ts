// Posture and kube-bench parsing on real public files (test/fixtures/, sources in SOURCES-kubernetes.md):
// the findings shared/reference/security.md predicts, and kube-bench's own totals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKubeBench, redactSecrets } from '../../src/core/security/kube-bench.js';
import { parseManifestObjects } from '../../src/core/security/manifests.js';
import type { K8sObject } from '../../src/core/security/objects.js';
import { evaluatePosture } from '../../src/core/security/posture.js';
import { ROOT } from '../helpers/project.js';

const fixture = (p: string) => readFileSync(join(ROOT, 'test/fixtures', p), 'utf8');
const manifests = (p: string) => parseManifestObjects(fixture(p), p) as K8sObject[];

describe('kube-bench parsing', () => {
  it.each([
    [
      'cis-1.12-minikube-node-policies.json',
      'controls-totals',
      'cis-1.12',
      { pass: 14, fail: 2, warn: 43, info: 0 },
    ],
    ['cis-1.20-v0.6.13.json', 'controls-totals', 'cis-1.20', { pass: 2, fail: 12, warn: 35, info: 0 }],
    ['eks-1.0-legacy-array.json', 'controls-array', 'eks-1.0', { pass: 14, fail: 0, warn: 1, info: 0 }],
  ])('%s parses with kube-bench’s own totals', (file, format, benchmark, totals) => {
    const r = parseKubeBench(fixture(`kube-bench/${file}`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toBe(format);
    expect(r.value.benchmark).toBe(benchmark);
    expect(r.value.totals).toEqual(totals);
  });

  it('turns scored FAILs into findings with the remediation', () => {
    const r = parseKubeBench(fixture('kube-bench/cis-1.12-minikube-node-policies.json'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.detectedVersion).toBe('1.35');
    expect(r.value.findings.map((f) => f.check)).toEqual(['cis-4.1.1', 'cis-4.1.9']);
    expect(r.value.findings[0]!.remedy).toMatch(/chmod 600/);
    expect(r.value.findings[0]!.message).toContain('permissions=644');
  });

  it('reports Forbidden policies checks as could-not-check, not as passes or findings', () => {
    const r = parseKubeBench(fixture('kube-bench/cis-1.12-minikube-node-policies.json'));
    if (!r.ok) throw new Error(r.error);
    const forbidden = r.value.couldNotCheck.filter((c) => /Forbidden/.test(c.reason));
    expect(forbidden.map((c) => c.check)).toEqual(expect.arrayContaining(['5.1.1', '5.1.3', '5.2.2']));
  });

  it('recognises an unsubstituted $kubeletbin as kube-bench failing, not the cluster failing', () => {
    const r = parseKubeBench(fixture('kube-bench/cis-1.20-v0.6.13.json'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.detectedVersion).toBe('none');
    const kubelet = r.value.couldNotCheck.filter((c) => c.reason.includes('$kubeletbin'));
    expect(kubelet.map((c) => c.check)).toContain('4.2.1');
    expect(kubelet).toHaveLength(13);
    expect(r.value.findings.some((f) => f.check === 'cis-4.2.1')).toBe(false);
  });

  it('reads the ≤ v0.3.0 stream of one Controls object per target', () => {
    const doc = JSON.parse(fixture('kube-bench/cis-1.12-minikube-node-policies.json')) as {
      Controls: unknown[];
    };
    const stream = doc.Controls.map((c) => JSON.stringify(c, null, 2)).join('\n');
    const r = parseKubeBench(stream);
    expect(r.ok && r.value.format).toBe('controls-stream');
    expect(r.ok && r.value.totals).toEqual({ pass: 14, fail: 2, warn: 43, info: 0 });
  });

  it('keeps command-line secrets in kube-bench audit output out of findings', () => {
    expect(
      redactSecrets('kube-apiserver --token-auth-file=/etc/t.csv --etcd-password s3cret --secure-port=6443'),
    ).toBe('kube-apiserver --token-auth-file=[redacted] --etcd-password [redacted] --secure-port=6443');
  });

  it('finds the document in a log mixed with glog lines', () => {
    const log = `I1128 10:00:00.000 1 util.go:1] Using benchmark cis-1.10\n${fixture('kube-bench/eks-1.0-legacy-array.json')}\n`;
    const r = parseKubeBench(log);
    expect(r.ok && r.value.totals.pass).toBe(14);
  });

  it.each([
    ['', /no JSON document/],
    ['{"Controls": [', /malformed/],
    ['{"Controls": [], "Totals": {"total_pass": "x"}}', /Totals\.total_pass/],
    ['[]', /not a kube-bench JSON document/],
    ['{"hello": "world"}', /not a kube-bench JSON document/],
  ])('rejects %j with a message naming the problem', (text, message) => {
    const r = parseKubeBench(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('posture on public manifests', () => {
  it('microservices-demo passes the baseline profile and fails restricted only on seccomp', () => {
    const r = evaluatePosture(manifests('manifests/microservices-demo-v0.10.6.yaml'), {
      source: 'manifests',
    });
    expect(r.workloads).toBe(12);
    for (const p of r.profiles) {
      expect(p.baseline, p.object).toBe('pass');
      expect(p.restricted, p.object).toBe('fail');
      expect(p.violations, p.object).toEqual(['pss-seccomp']);
    }
    expect(r.findings.some((f) => f.check === 'image-tag')).toBe(false); // redis:alpine is not :latest
    expect(r.findings.some((f) => f.check === 'secret-env' || f.check === 'pss-privileged')).toBe(false);
    expect(r.findings.find((f) => f.check === 'network-policy-default-deny')?.object).toBe(
      'Namespace/default',
    );
    // loadgenerator is the one Deployment without probes
    const probes = r.findings.filter((f) => f.check === 'probes').map((f) => f.object);
    expect([...new Set(probes)]).toEqual(['Deployment/default/loadgenerator']);
  });

  it('the kompose WordPress output fails on :latest, plain-text passwords, securityContext, probes and resources', () => {
    const r = evaluatePosture(manifests('manifests/kompose-wordpress-output-k8s.yaml'), {
      source: 'manifests',
    });
    const checks = new Set(r.findings.map((f) => f.check));
    for (const c of ['image-tag', 'secret-env', 'security-context', 'probes', 'resources'])
      expect(checks).toContain(c);
    expect(r.profiles.every((p) => p.baseline === 'pass' && p.restricted === 'fail')).toBe(true);
    const latest = r.findings.find((f) => f.check === 'image-tag');
    expect(latest).toMatchObject({
      object: 'StatefulSet/default/wordpress',
      path: 'spec.template.spec.containers[0].image',
    });
    const secrets = r.findings.filter((f) => f.check === 'secret-env').map((f) => f.message);
    expect(secrets.join('\n')).toMatch(/MYSQL_ROOT_PASSWORD/);
    expect(secrets.join('\n')).toMatch(/WORDPRESS_DB_PASSWORD/);
    // never the value
    expect(JSON.stringify(r)).not.toContain('somewordpress');
    expect(r.totals.fail).toBeGreaterThan(10);
  });

  it('flags a privileged container as critical with its field path', () => {
    const r = evaluatePosture(
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api', namespace: 'apps' },
          spec: {
            template: {
              spec: { containers: [{ name: 'api', image: 'api:1', securityContext: { privileged: true } }] },
            },
          },
        },
      ],
      { source: 'manifests' },
    );
    const f = r.findings[0]!;
    expect(f).toMatchObject({
      check: 'pss-privileged',
      severity: 'critical',
      object: 'Deployment/apps/api',
      path: 'spec.template.spec.containers[0].securityContext.privileged',
    });
    expect(r.profiles[0]!.level).toBe('privileged');
  });

  it('flags PodSecurityPolicy, wildcard RBAC, cluster-admin for a workload and missing PSA labels', () => {
    const r = evaluatePosture(
      [
        { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'restricted' } },
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/warn': 'restricted' } },
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'ops' },
          rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'api-admin' },
          roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'apps' }],
        },
      ],
      { source: 'manifests', applicationNamespaces: ['apps'] },
    );
    const by = (check: string) => r.findings.find((f) => f.check === check);
    expect(by('psp-removed')?.message).toMatch(/removed PodSecurityPolicy in 1\.25/);
    expect(by('rbac-wildcard')).toMatchObject({ path: 'rules[0].resources', severity: 'high' });
    expect(by('rbac-cluster-admin')).toMatchObject({ severity: 'critical', path: 'subjects[0]' });
    expect(by('psa-labels')).toMatchObject({ severity: 'medium', object: 'Namespace/apps' });
  });

  it('accepts a hardened workload in a labelled namespace with default-deny policies', () => {
    const hardened: K8sObject[] = [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: 'apps' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'apps' },
        spec: {
          template: {
            spec: {
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'api',
                  image: 'registry.example/api:1.4.2',
                  env: [
                    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                  ],
                  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                  readinessProbe: { httpGet: { path: '/health', port: 8080 } },
                  livenessProbe: { httpGet: { path: '/health', port: 8080 } },
                },
              ],
            },
          },
        },
      },
    ];
    const r = evaluatePosture(hardened, { source: 'cluster', applicationNamespaces: ['apps'] });
    expect(r.findings).toEqual([]);
    expect(r.profiles[0]!.level).toBe('restricted');
    expect(r.totals.fail + r.totals.warn).toBe(0);
    expect(r.totals.pass).toBeGreaterThan(10);
  });
});
