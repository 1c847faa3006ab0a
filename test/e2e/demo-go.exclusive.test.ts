// The full demo on a healthy simulator is GO. Run after the parallel tests (vitest.config.ts, project
// `exclusive`): the demo's scenario thresholds are absolute latencies of a simulator sharing the machine,
// which three test workers on two cores starve (a starved simulator is slow, and the verdict says so).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSimProject, runCli } from '../helpers/project.js';

const runDirs = (dir: string) => readdirSync(join(dir, 'reports')).filter((n) => n !== 'README.md');

describe('cutover demo', () => {
  it('says GO on a healthy simulator, with its reasons and the report folder', async () => {
    const p = await makeSimProject('demo-go');
    const r = await runCli(['--config', p.configFile, 'demo'], { cwd: p.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Verdict: GO/);
    expect(r.stdout).toMatch(/Report: reports\/\d{8}-\d{6}-[0-9a-f]{4}/);
    const [id] = runDirs(p.dir);
    const record = JSON.parse(readFileSync(join(p.dir, 'reports', id!, 'run.json'), 'utf8'));
    expect(record).toMatchObject({
      schema: 'cutover.run/v1',
      status: 'completed',
      verdict: 'GO',
      command: 'demo',
    });
    expect(readFileSync(join(p.dir, 'reports', id!, 'report.md'), 'utf8')).toMatch(/^# Cutover run .*: GO/);
    // The short post-cutover watch: users moved from Compose to Kubernetes, read from the real
    // Prometheus servers; phase 5's traffic criteria are decided by it, its backup criterion by the
    // simulated Velero (the gate stays short of GO for its sign-off criteria, which a demo does not cover).
    const phase5 = record.gates.find((g: { id: string }) => g.id === '5');
    const status = (id: string) =>
      phase5.criteria.find((c: { id: string; status: string }) => c.id === id)?.status;
    for (const id of ['traffic.errors', 'traffic.compose-idle', 'traffic.watch', 'monitoring', 'backup'])
      expect(status(id), `${id}: ${JSON.stringify(phase5.criteria)}`).toBe('PASS');
    expect(phase5.verdict).toBe('INCONCLUSIVE');
  });
});
