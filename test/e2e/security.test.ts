// End to end: the real CLI against the simulator and the stand-in API server — the demo with posture
// faults, an unreachable or forbidding API server (never a pass), and the offline commands on the
// public fixtures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { loadManifestDir } from '../../sim/kube/platform.js';
import { CLI, freePort, makeSimProject, ROOT, runCli, tmpDir } from '../helpers/project.js';

type Summary = {
  verdict: string;
  reportDir: string;
  criteria: { id: string; status: string; reason: string }[];
};
type RunJson = {
  evidence: {
    kind: string;
    suite: string;
    source?: string;
    check?: string;
    severity?: string;
    object?: string;
    path?: string;
    scope?: string;
    status?: string;
    reason?: string;
    environment: string;
  }[];
};

function readRun(dir: string, reportDir: string): RunJson {
  return JSON.parse(readFileSync(join(dir, reportDir, 'run.json'), 'utf8')) as RunJson;
}

describe('cutover demo with the simulated cluster', () => {
  it('says NO-GO for a privileged container and names the field path', async () => {
    const p = await makeSimProject('sec-demo-priv');
    const r = await runCli(
      ['demo', '--suite', 'smoke,security', '--fault', 'target:rentguy-api:privileged', '--json'],
      { cwd: p.dir, timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.verdict).toBe('NO-GO');
    const failed = summary.criteria.filter((c) => c.status === 'FAIL');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((c) => c.reason).join('\n')).toContain(
      'spec.template.spec.containers[0].securityContext.privileged',
    );
    const run = readRun(p.dir, summary.reportDir);
    const critical = run.evidence.filter((e) => e.kind === 'finding' && e.severity === 'critical');
    expect(critical).toEqual([
      expect.objectContaining({
        suite: 'security',
        source: 'posture',
        check: 'pss-privileged',
        object: 'Deployment/sevensa-apps/rentguy-api',
        path: 'spec.template.spec.containers[0].securityContext.privileged',
      }),
    ]);
  });

  it('shows the other posture faults as findings, and a healthy cluster with complete coverage', async () => {
    const p = await makeSimProject('sec-demo-faults');
    const r = await runCli(
      [
        'demo',
        '--suite',
        'security',
        '--json',
        '--fault',
        'target:psra-api:latest-tag',
        '--fault',
        'target:langgraph:no-probes',
        '--fault',
        'target:wpcs-api:no-networkpolicy',
      ],
      { cwd: p.dir, timeoutMs: 90_000 },
    );
    expect(r.stdout, r.stderr).not.toBe('');
    const summary = JSON.parse(r.stdout) as Summary;
    const run = readRun(p.dir, summary.reportDir);
    const findings = run.evidence.filter((e) => e.kind === 'finding' && e.source === 'posture');
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'image-tag',
        object: 'Deployment/sevensa-apps/psra-api',
        severity: 'high',
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'probes',
        object: 'Deployment/sevensa-ai/langgraph',
        path: 'spec.template.spec.containers[0].readinessProbe',
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'network-policy-default-deny',
        object: 'Namespace/sevensa-apps',
        severity: 'high',
      }),
    );
    const coverage = run.evidence.filter(
      (e) => e.kind === 'coverage' && e.suite === 'security' && e.environment === 'target',
    );
    expect(Object.fromEntries(coverage.map((c) => [c.scope, c.status]))).toEqual({
      readiness: 'complete',
      posture: 'complete',
      inventory: 'complete',
      'kube-bench': 'complete',
      'http-security': 'complete',
    });
  });
});

describe('an API server that cannot be read is never a pass', () => {
  let kube: Awaited<ReturnType<typeof startKubeSim>>;
  beforeAll(async () => {
    kube = await startKubeSim({
      objects: loadManifestDir(join(ROOT, 'deploy/k8s')),
      deny: [{ verb: 'list', resource: 'networkpolicies' }],
    });
  });
  afterAll(async () => kube?.stop());

  it('records could-not-check for an unreachable API server and the gates stay short of GO', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const dir = tmpDir('sec-unreachable');
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), { server: dead, context: 'sevensa-prod' });
    const p = await makeSimProject('sec-unreachable', (c) => {
      const target = c.environments.target as { kubeconfig?: string };
      target.kubeconfig = kubeconfig;
    });
    const r = await runCli(['run', '--suite', 'security', '--env', 'target', '--json'], {
      cwd: p.dir,
      timeoutMs: 60_000,
    });
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.verdict).not.toBe('GO');
    const run = readRun(p.dir, summary.reportDir);
    const posture = run.evidence.find((e) => e.kind === 'coverage' && e.scope === 'posture');
    expect(posture).toMatchObject({ status: 'could-not-check' });
    expect(posture?.reason).toMatch(/cannot be reached/);
    const postureCriteria = summary.criteria.filter((c) => /posture/.test(c.id));
    expect(postureCriteria.length).toBeGreaterThan(0);
    expect(postureCriteria.every((c) => c.status === 'INCONCLUSIVE')).toBe(true);
  });

  it('records a Forbidden list as partial coverage, naming what could not be read', async () => {
    const dir = tmpDir('sec-forbidden');
    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), {
      server: kube.url,
      context: 'sevensa-prod',
    });
    const p = await makeSimProject('sec-forbidden', (c) => {
      (c.environments.target as { kubeconfig?: string }).kubeconfig = kubeconfig;
    });
    const r = await runCli(['run', '--suite', 'security', '--env', 'target', '--json'], {
      cwd: p.dir,
      timeoutMs: 60_000,
    });
    const summary = JSON.parse(r.stdout) as Summary;
    const run = readRun(p.dir, summary.reportDir);
    const posture = run.evidence.find((e) => e.kind === 'coverage' && e.scope === 'posture');
    expect(posture).toMatchObject({ status: 'partial' });
    expect(posture?.reason).toMatch(/NetworkPolicy in sevensa-apps: forbidden/);
    expect(summary.criteria.filter((c) => /posture/.test(c.id)).every((c) => c.status !== 'PASS')).toBe(true);
  });
});

describe('offline commands', () => {
  const F = join(ROOT, 'test/fixtures');

  it('cutover inventory --json on the kompose pair', async () => {
    const r = await runCli([
      'inventory',
      '--compose',
      join(F, 'manifests/kompose-wordpress-compose.yaml'),
      '--manifests',
      join(F, 'manifests/kompose-wordpress-output-k8s.yaml'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      services: { name: string; status: string; differences: unknown[]; ports: string[] }[];
    };
    expect(out.services.map((s) => [s.name, s.status, s.differences.length])).toEqual([
      ['db', 'matched', 0],
      ['wordpress', 'matched', 0],
    ]);
    expect(out.services.flatMap((s) => s.ports)).toEqual(['3306→3306', '8000→80']);
  });

  it('cutover security posture --json on the WordPress output fails it; on deploy/k8s passes', async () => {
    const r = await runCli([
      'security',
      'posture',
      '--manifests',
      join(F, 'manifests/kompose-wordpress-output-k8s.yaml'),
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      totals: Record<string, number>;
      findings: {
        check: string;
        severity: string;
        object: string;
        path: string;
        message: string;
        remedy: string;
      }[];
    };
    expect(Object.keys(out.totals).sort()).toEqual(['fail', 'info', 'pass', 'warn']);
    expect(Object.keys(out.findings[0]!).sort()).toEqual([
      'check',
      'message',
      'object',
      'path',
      'remedy',
      'severity',
    ]);
    expect(out.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['image-tag', 'secret-env', 'security-context', 'probes', 'resources']),
    );
    expect(r.stdout).not.toContain('somewordpress');

    const ok = await runCli(['security', 'posture', '--manifests', join(ROOT, 'deploy/k8s')]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/18 workloads/);
  });

  it.each([
    ['cis-1.12-minikube-node-policies.json', { pass: 14, fail: 2, warn: 43, info: 0 }, 1],
    ['cis-1.20-v0.6.13.json', { pass: 2, fail: 12, warn: 35, info: 0 }, 3],
    ['eks-1.0-legacy-array.json', { pass: 14, fail: 0, warn: 1, info: 0 }, 0],
  ])('cutover security kube-bench --import %s', async (file, totals, code) => {
    const r = await runCli(['security', 'kube-bench', '--import', join(F, 'kube-bench', file), '--json']);
    expect(r.code, r.stderr).toBe(code);
    expect(JSON.parse(r.stdout).totals).toEqual(totals);
  });

  it('reads a cluster with --context for inventory and posture; an unreachable one exits 3', async () => {
    const kube = await startKubeSim({ objects: loadManifestDir(join(ROOT, 'deploy/k8s')) });
    try {
      const kubeconfig = writeKubeconfig(join(tmpDir('sec-ctx'), 'kubeconfig'), {
        server: kube.url,
        context: 'sevensa-prod',
      });
      const ns = ['-n', 'sevensa-infra,sevensa-monitoring,sevensa-apps,sevensa-ai'];
      const inv = await runCli([
        'inventory',
        '--compose',
        join(ROOT, 'deploy/docker-compose.yml'),
        '--context',
        'sevensa-prod',
        '--kubeconfig',
        kubeconfig,
        ...ns,
        '--json',
      ]);
      expect(inv.code, inv.stderr).toBe(0);
      const out = JSON.parse(inv.stdout) as { services: { status: string }[]; inactive: { name: string }[] };
      expect(out.services).toHaveLength(18);
      expect(out.services.every((s) => s.status === 'matched')).toBe(true);
      expect(out.inactive.map((i) => i.name)).toEqual(['mailpit']);
      const posture = await runCli([
        'security',
        'posture',
        '--context',
        'sevensa-prod',
        '--kubeconfig',
        kubeconfig,
        ...ns,
      ]);
      expect(posture.code, posture.stdout).toBe(0);
      expect(posture.stdout).toMatch(/18 workloads/);
    } finally {
      await kube.stop();
    }
    const dead = writeKubeconfig(join(tmpDir('sec-ctx-dead'), 'kubeconfig'), {
      server: `http://127.0.0.1:${await freePort()}`,
      context: 'c',
    });
    const r = await runCli(['security', 'posture', '--context', 'c', '--kubeconfig', dead, '-n', 'apps']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--context c: .*cannot be reached/);
  });

  it('names the bad input and exits 2', async () => {
    const missing = await runCli(['security', 'kube-bench', '--import', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--import nope.json: cannot read it \(ENOENT\)/);
    const notBench = await runCli([
      'security',
      'kube-bench',
      '--import',
      join(F, 'manifests/kompose-wordpress-compose.yaml'),
    ]);
    expect(notBench.code).toBe(2);
    expect(notBench.stderr).toMatch(/no JSON document found/);
    const notCompose = await runCli([
      'inventory',
      '--compose',
      join(F, 'kube-bench/eks-1.0-legacy-array.json'),
      '--manifests',
      join(ROOT, 'deploy/k8s'),
    ]);
    expect(notCompose.code).toBe(2);
    expect(notCompose.stderr).toMatch(/no services: mapping/);
    const emptyDir = tmpDir('sec-empty');
    writeFileSync(join(emptyDir, 'empty.yaml'), '---\n# helm rendered nothing\n');
    const empty = await runCli(['security', 'posture', '-f', join(emptyDir, 'empty.yaml')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no Kubernetes objects found/);
    const nothing = await runCli(['security', 'posture']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/give --manifests/);
    expect(`${missing.stderr}${notBench.stderr}${notCompose.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('refuses a kube-bench input over 32 MiB without reading it, from a file or from stdin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-kube-bench-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const big = join(dir, 'huge.log');
    // Text that is no kube-bench JSON, one line over the cap.
    const line = `${'x'.repeat(1023)}\n`;
    writeFileSync(big, line.repeat(32 * 1024 + 1));
    const file = await runCli(['security', 'kube-bench', '--import', big]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`--import ${big}: 32 MiB (33555456 bytes), over the 32 MiB limit`);
    expect(file.stderr).toContain("kube-bench's JSON for every node type of a run is well under a megabyte");
    // Through a pipe the size is not known up front: reading stops at the cap.
    const piped = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [CLI, 'security', 'kube-bench', '--import', '-'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.on('error', () => {}); // the CLI stops reading and closes its end
      child.stdin.end(readFileSync(big));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('--import -: more than the 32 MiB limit (reading stopped there)');
    const binary = join(dir, 'image.bin');
    writeFileSync(binary, Buffer.from([0x7b, 0x22, 0x00, 0x01, 0x02]));
    const bin = await runCli(['security', 'kube-bench', '--import', binary]);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toContain('a binary file (a NUL byte in its first 8000 bytes), not text');
  });
});
