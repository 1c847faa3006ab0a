// End to end: the real CLI against the simulator — phase gates in the demo, `cutover gate`, baselines,
// history, plan, and a user's own gates with mistakes in them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSimProject, ROOT, runCli, type SimProject } from '../helpers/project.js';

interface DemoJson {
  verdict: string;
  reportDir: string;
  runId: string;
  criteria: unknown[];
  gates: {
    id: string;
    verdict: string;
    decides?: boolean;
    missing?: string[];
    criteria: {
      id: string;
      status: string;
      reason: string;
      value?: number;
      limit?: number;
      rule?: string;
      n?: number;
    }[];
  }[];
}

let project: SimProject;
let healthy: DemoJson;

describe('phase gates end to end', () => {
  beforeAll(async () => {
    project = await makeSimProject('gates-e2e');
    const r = await runCli(['demo', '--json'], { cwd: project.dir, timeoutMs: 120_000 });
    healthy = JSON.parse(r.stdout) as DemoJson;
  }, 150_000);

  it('a healthy demo evaluates every phase gate and keeps the foundation fields', () => {
    expect(healthy.runId).toBeTruthy();
    expect(Array.isArray(healthy.criteria)).toBe(true);
    const ids = healthy.gates.map((g) => g.id);
    expect(ids).toEqual([
      'smoke',
      'performance',
      '1',
      '2',
      '3-rentguy',
      '3-rentguy-browser',
      '3-psra',
      '3-wpcs',
      '3-ai',
      '4',
      '5',
    ]);
    const five = healthy.gates.find((g) => g.id === '5')!;
    expect(five.verdict).toBe('INCONCLUSIVE');
    expect(five.decides).toBe(false);
    // The demo covers backups (simulated Velero) and data (its PostgreSQL servers); sign-offs it cannot.
    expect(five.missing?.some((m) => m.includes('decommission-approved'))).toBe(true);
    expect(five.missing?.some((m) => m.includes('backup'))).toBe(false);
    // One rule (core/run-verdict.ts): a failure in any gate is NO-GO; otherwise the gates the demo's
    // suites serve entirely decide (phase 2 too, now that the monitoring suite runs), and phases 4 and 5
    // (backups, data parity, the post-cutover watch, sign-offs) and the RentGuy browser gate (the browser
    // suite is not in the demo by default) are aside.
    expect(healthy.gates.filter((g) => g.decides === false).map((g) => g.id)).toEqual([
      '3-rentguy-browser',
      '4',
      '5',
    ]);
    const deciding = healthy.gates.filter((g) => g.decides !== false);
    const expected = healthy.gates.some((g) => g.verdict === 'NO-GO')
      ? 'NO-GO'
      : deciding.every((g) => g.verdict === 'GO')
        ? 'GO'
        : 'INCONCLUSIVE';
    expect(healthy.verdict).toBe(expected);
    for (const g of healthy.gates.filter((g) => g.id !== 'smoke'))
      for (const c of g.criteria) expect(c.rule, `${g.id}/${c.id}`).toBeTruthy();
    const dir = join(project.dir, healthy.reportDir);
    for (const f of ['report.md', 'report.html', 'report.json', 'report.junit.xml'])
      expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('the CI examples use only commands and flags cutover has', async () => {
    const files = [
      'examples/ci/github-actions-nightly-parity.yml',
      'examples/ci/gitlab-ci-nightly-parity.yml',
    ];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const lines = text.split('\n').filter((l) => l.includes('npx cutover '));
      expect(lines.length, f).toBeGreaterThan(0);
      for (const line of lines) {
        const words = line.slice(line.indexOf('npx cutover ') + 12).split(/\s+/);
        const command = words[0] === 'baseline' ? ['baseline', words[1]!] : [words[0]!];
        const help = await runCli([...command, '--help']);
        expect(help.code, `${f}: ${line}`).toBe(0);
        for (const flag of words.filter((w) => w.startsWith('--')))
          expect(help.stdout, `${f}: ${flag}`).toContain(flag);
      }
    }
  });

  it('cutover gate --phase 5 on a fresh demo run is INCONCLUSIVE (exit 3) and lists what it lacks', async () => {
    const r = await runCli(['gate', '--phase', '5', '--run', healthy.runId], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('Gate 5: INCONCLUSIVE');
    expect(r.stdout).toContain('lacks evidence');
    expect(r.stdout).toMatch(/decommission-approved/);
    expect(r.stdout).toMatch(/documentation-updated/);
  });

  it('an unknown phase is a usage error naming the known gates', async () => {
    const r = await runCli(['gate', '--phase', '9'], { cwd: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('known: smoke, performance, 1, 2, 3-rentguy');
  });

  it('history lists the runs with their verdicts; the gate step summary goes to GITHUB_STEP_SUMMARY', async () => {
    const summary = join(project.dir, 'summary.md');
    const g = await runCli(['gate', '--phase', '3-rentguy', '--run', healthy.runId], {
      cwd: project.dir,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect([0, 1, 3]).toContain(g.code);
    expect(readFileSync(summary, 'utf8')).toContain('## Gate 3-rentguy');
    const h = await runCli(['history', '--json'], { cwd: project.dir });
    expect(h.code).toBe(0);
    const runs = (JSON.parse(h.stdout) as { runs: { id: string; verdict: string; command: string }[] }).runs;
    expect(runs.map((r) => r.id)).toContain(healthy.runId);
    expect(runs[0]!.command).toContain('gate --phase 3-rentguy');
  });

  it('baseline record keeps the baseline side; gate --baseline judges against it; plan sizes the runs', async () => {
    const rec = await runCli(['baseline', 'record', healthy.runId, '--name', 'demo-base', '--json'], {
      cwd: project.dir,
    });
    expect(rec.code, rec.stderr).toBe(0);
    expect(JSON.parse(rec.stdout).metrics).toBeGreaterThan(0);
    const file = join(project.dir, 'baselines/demo-base.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.schema).toBe('cutover.baseline/v1');
    expect(stored.scenarios).toEqual(expect.arrayContaining(['rentguy', 'psra']));
    expect(stored.evidence.every((e: { environment: string }) => e.environment === 'baseline')).toBe(true);
    expect(readFileSync(file, 'utf8').toLowerCase()).not.toMatch(
      /authorization|password|bearer |client_secret/,
    );
    const g = await runCli(
      ['gate', '--phase', '3-rentguy', '--run', healthy.runId, '--baseline', 'demo-base', '--json'],
      { cwd: project.dir },
    );
    const judged = JSON.parse(g.stdout) as DemoJson;
    const median = judged.gates[0]!.criteria.find((c) => c.id === 'perf.median')!;
    // The recorded baseline is the run's own baseline side: comparable, and judged.
    expect(median.reason).not.toContain('cannot compare');
    expect(median.reason).toMatch(/med .* vs limit/);
    // A baseline of other scenarios is not comparable: relative criteria say so instead of judging.
    writeFileSync(
      join(project.dir, 'baselines/other.json'),
      JSON.stringify({ ...stored, name: 'other', scenarios: ['rentguy', 'checkout'] }),
    );
    const other = JSON.parse(
      (
        await runCli(
          ['gate', '--phase', '3-rentguy', '--run', healthy.runId, '--baseline', 'other', '--json'],
          { cwd: project.dir },
        )
      ).stdout,
    ) as DemoJson;
    const notComparable = other.gates[0]!.criteria.find((c) => c.id === 'perf.median')!;
    expect(notComparable.status).toBe('INCONCLUSIVE');
    expect(notComparable.reason).toContain('scenarios differ from baseline "other"');
    const p = await runCli(['plan', '--gate', '3-rentguy', '--baseline', 'demo-base', '--json'], {
      cwd: project.dir,
    });
    expect(p.code, p.stderr).toBe(0);
    const plan = JSON.parse(p.stdout).gates[0];
    expect(plan.gate).toBe('3-rentguy');
    expect(plan.rows.length).toBeGreaterThan(0);
    expect(plan.rows.every((r: { needed: number | null }) => r.needed === null || r.needed > 0)).toBe(true);
    // Never fewer than the criterion is judged with, and a range around each number (the baseline's
    // spread is itself an estimate from a few hundred requests).
    for (const r of plan.rows as { needed: number | null; low: number; high: number; minimum: number }[])
      if (r.needed !== null) {
        expect(r.needed).toBeGreaterThanOrEqual(r.minimum);
        expect(r.low).toBeLessThanOrEqual(r.needed);
        expect(r.high ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(r.needed);
      }
    const text = await runCli(['plan', '--gate', '3-rentguy', '--baseline', 'demo-base'], {
      cwd: project.dir,
    });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('requests per side');
    expect(text.stdout).toMatch(/→ every series needs at least \d+ requests per side/);
    const missing = await runCli(['gate', '--phase', '3', '--baseline', 'nope'], { cwd: project.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no baseline "nope"; recorded: demo-base, other');
  });

  it("a user's own gate with a typo is exit 2 naming the file and the criterion", async () => {
    const own = await makeSimProject('gates-own');
    mkdirSync(join(own.dir, 'gates'));
    writeFileSync(
      join(own.dir, 'gates/custom.mjs'),
      `export default { id: 'custom', phase: 3, title: 'mine', criteria: [
        { id: 'lat', title: 'latency', serves: 2, expr: 'http_req_duraton: p(95)<300' },
        { id: 'drops', title: 'drops', serves: 2, expr: 'dropped_iterations: p(95)<1' },
        { id: 'checks', title: 'checks', serves: 3, expr: 'integration{servce:x}.failed == 0' },
      ] };\n`,
    );
    const r = await runCli(['gate', '--phase', 'custom', '--run', 'nothing'], { cwd: own.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gates/custom.mjs');
    expect(r.stderr).toContain(
      'criterion lat: unknown metric "http_req_duraton" (did you mean http_req_duration?)',
    );
    expect(r.stderr).toContain('criterion drops: dropped_iterations is a counter: p(95) does not apply');
    expect(r.stderr).toContain(
      'criterion checks: tag filter key "servce" is not a tag of integration check results (did you mean service?)',
    );
  });

  it("a user's own gate on evidence this issue does not name: a custom metric and a suite's checks", async () => {
    const own = await makeSimProject('gates-custom');
    mkdirSync(join(own.dir, 'gates/attestations'), { recursive: true });
    writeFileSync(
      join(own.dir, 'gates/own.mjs'),
      `export default { id: 'own', phase: 4, title: 'own gate', metrics: { queue_depth: 'gauge' }, criteria: [
        { id: 'queue', title: 'queue drained', serves: 2, expr: 'queue_depth: value < 10' },
        { id: 'smoke', title: 'smoke', serves: 1, expr: 'smoke.failed == 0' },
        { id: 'signoff', title: 'sign-off', serves: 6, attestation: 'ops-review', maxAge: '30d' },
      ] };\n`,
    );
    writeFileSync(
      join(own.dir, 'gates/attestations/ops-review.json'),
      JSON.stringify({ by: 'Jane <script>', date: new Date().toISOString(), note: 'reviewed' }),
    );
    const d = await runCli(['run', '--suite', 'smoke', '--gate', 'own', '--json'], {
      cwd: own.dir,
      timeoutMs: 60_000,
    });
    const out = JSON.parse(d.stdout) as DemoJson;
    const gate = out.gates.find((g) => g.id === 'own')!;
    const byId = Object.fromEntries(gate.criteria.map((c) => [c.id, c]));
    expect(byId.queue!.status).toBe('INCONCLUSIVE');
    expect(byId.queue!.reason).toContain('no evidence');
    expect(byId.signoff!.status).toBe('PASS');
    expect(gate.verdict).not.toBe('GO');
    expect(d.code).not.toBe(0);
  });
});
