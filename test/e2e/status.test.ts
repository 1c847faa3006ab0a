// End to end: `cutover status` after a demo and a `cutover gate --phase 5` — every phase with its latest
// verdict and blockers, an expired waiver and a sign-off older than its limit shown as such; and
// `--push URL` on a command that records a run: pushed to a loopback stand-in that checks what a
// Pushgateway receives, and an unreachable one that must not lose the run, change its verdict or
// reveal the URL's credentials.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeSimProject, runCli, type SimProject } from '../helpers/project.js';

interface StatusJson {
  schema: string;
  runs: number;
  phases: {
    phase: number;
    verdict: string;
    gates: {
      id: string;
      decision?: { verdict: string; command: string; decides: boolean; decidedAt: string };
      blockers: { criterion: string; status: string; reason: string }[];
      evidence: { criterion: string; state: string; text: string }[];
      waivers: { criterion: string; expired: boolean }[];
      changedSince: string[];
      history: { verdict: string }[];
    }[];
  }[];
  successCriteria: { criterion: number; state: string }[];
  waivers: { criterion: string; expired: boolean }[];
  signOffs: { name: string; expired: boolean }[];
}

let project: SimProject;
let demoRun: string;
let gateExit: number | null;

describe('cutover status after a demo and a phase-5 gate', () => {
  beforeAll(async () => {
    project = await makeSimProject('status-e2e');
    mkdirSync(join(project.dir, 'gates/waivers'), { recursive: true });
    mkdirSync(join(project.dir, 'gates/attestations'), { recursive: true });
    // A waiver that expired long ago, and a sign-off far older than the 7 days its criterion accepts.
    writeFileSync(
      join(project.dir, 'gates/waivers/docs-later.json'),
      JSON.stringify({
        criterion: '5/documentation',
        owner: 'A. Jansen',
        reason: 'runbooks follow the cutover',
        expires: '2020-06-30',
      }),
    );
    writeFileSync(
      join(project.dir, 'gates/attestations/decommission-approved.json'),
      JSON.stringify({ by: 'B. de Vries', date: '2020-01-15', note: 'Compose may go' }),
    );
    const demo = await runCli(['demo', '--suite', 'smoke', '--json'], {
      cwd: project.dir,
      timeoutMs: 120_000,
    });
    demoRun = (JSON.parse(demo.stdout) as { runId: string }).runId;
    const gate = await runCli(['gate', '--phase', '5', '--json'], { cwd: project.dir, timeoutMs: 60_000 });
    gateExit = gate.code;
  }, 180_000);

  it('shows every phase with its verdict, when and by what it was decided, and its blockers', async () => {
    expect(demoRun).toBeTruthy();
    expect(gateExit).toBe(3);
    const r = await runCli(['status', '--json'], { cwd: project.dir });
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as StatusJson;
    expect(status.schema).toBe('cutover.status/v1');
    expect(status.runs).toBe(2);
    expect(status.phases.map((p) => p.phase)).toEqual([1, 2, 3, 4, 5]);
    for (const p of status.phases) {
      expect(p.gates.length).toBeGreaterThan(0);
      expect(['GO', 'NO-GO', 'INCONCLUSIVE']).toContain(p.verdict);
      for (const g of p.gates) expect(g.decision, g.id).toBeDefined();
    }
    const five = status.phases[4]!.gates[0]!;
    expect(five.id).toBe('5');
    expect(five.decision).toMatchObject({
      verdict: 'INCONCLUSIVE',
      command: 'gate --phase 5',
      decides: true,
    });
    // The demo evaluated gate 5 aside first, then `cutover gate` decided it: two evaluations.
    expect(five.history.map((h) => h.verdict)).toEqual(['INCONCLUSIVE', 'INCONCLUSIVE']);
    const blockers = five.blockers.map((b) => b.criterion);
    expect(blockers).toEqual(expect.arrayContaining(['traffic.watch', 'decommission', 'documentation']));
    // A smoke-only demo has no performance evidence for the wave gates: they say so.
    const rentguy = status.phases[2]!.gates.find((g) => g.id === '3-rentguy')!;
    expect(rentguy.blockers.some((b) => /no evidence/.test(b.reason))).toBe(true);
    expect(status.successCriteria.map((c) => c.criterion)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('shows the expired waiver and the stale sign-off as such', async () => {
    const status = JSON.parse(
      (await runCli(['status', '--json'], { cwd: project.dir })).stdout,
    ) as StatusJson;
    const five = status.phases[4]!.gates[0]!;
    expect(five.waivers).toEqual([expect.objectContaining({ criterion: '5/documentation', expired: true })]);
    expect(status.waivers).toEqual([
      expect.objectContaining({ criterion: '5/documentation', expired: true }),
    ]);
    const decommission = five.evidence.find((e) => e.criterion === 'decommission')!;
    expect(decommission.state).toBe('stale');
    expect(decommission.text).toMatch(/^\d+ d old, limit 7 d$/);
    const smoke = status.phases[0]!.gates[0]!.evidence;
    expect(smoke.length).toBeGreaterThan(0);
    expect(status.signOffs).toEqual([
      expect.objectContaining({ name: 'decommission-approved', expired: false }),
    ]);

    const md = await runCli(['status'], { cwd: project.dir });
    expect(md.stdout).toContain('## Phase 5 — Cutover and decommissioning: INCONCLUSIVE');
    expect(md.stdout).toContain('by `cutover gate --phase 5`');
    expect(md.stdout).toMatch(
      /\| `decommission` \| attestation decommission-approved \| 2020-01-15 \| \*\*STALE\*\* — \d+ d old, limit 7 d \|/,
    );
    expect(md.stdout).toMatch(/\| `5\/documentation` \| A\. Jansen \| 2020-06-30 \| \*\*EXPIRED\*\* \|/);
    const html = readFileSync(join(project.dir, 'reports/status.html'), 'utf8');
    expect(readFileSync(join(project.dir, 'reports/status.md'), 'utf8')).toBe(md.stdout);
    expect(html).toContain('<svg');
    expect(html).toContain('STALE — ');
    expect(html).toContain('EXPIRED');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });
});

describe('--push URL', () => {
  let received: { method: string; url: string; auth: string; body: string }[];

  it('pushes the recorded decision to a Pushgateway with credentials from the URL, showing its origin only', async () => {
    received = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          auth: req.headers.authorization ?? '',
          body,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await runCli(
        [
          'gate',
          '--phase',
          '5',
          '--run',
          demoRun,
          '--reporter',
          'console',
          '--push',
          `http://ci:t0psecret@127.0.0.1:${port}/`,
        ],
        {
          cwd: project.dir,
          timeoutMs: 60_000,
        },
      );
      expect(r.code).toBe(3);
      expect(received).toHaveLength(1);
      expect(received[0]!.method).toBe('PUT');
      expect(received[0]!.url).toBe('/metrics/job/cutover/project/sevensa/selection/gate-5');
      expect(received[0]!.auth).toBe(`Basic ${Buffer.from('ci:t0psecret').toString('base64')}`);
      expect(received[0]!.body).toMatch(
        /^cutover_gate_verdict\{gate="5",phase="5",wave="",verdict="INCONCLUSIVE"\} 1$/m,
      );
      expect(received[0]!.body).toMatch(/^cutover_run_timestamp_seconds \d+/m);
      expect(r.stderr).toContain(`Pushed the run's summary to http://127.0.0.1:${port}`);
      const dir = /Report: (\S+)/.exec(r.stdout)?.[1] ?? '';
      const run = JSON.parse(readFileSync(join(project.dir, dir, 'run.json'), 'utf8'));
      expect(run.push).toMatchObject({
        url: `http://127.0.0.1:${port}`,
        ok: true,
        groupings: { selection: 'gate-5' },
      });
      expect(JSON.stringify(run)).not.toContain('t0psecret');
      expect(r.stderr + r.stdout).not.toContain('t0psecret');
    } finally {
      server.close();
    }
  });

  it('an unreachable Pushgateway: the run is recorded, its verdict and exit code stand, a warning says so', async () => {
    const port = await freePort();
    const r = await runCli(
      ['gate', '--phase', '5', '--run', demoRun, '--json', '--push', `http://ci:t0psecret@127.0.0.1:${port}`],
      {
        cwd: project.dir,
        timeoutMs: 60_000,
      },
    );
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { verdict: string; reportDir: string };
    expect(out.verdict).toBe('INCONCLUSIVE');
    expect(r.stderr).toContain(
      `cutover: warning: the Pushgateway at http://127.0.0.1:${port} did not take the push`,
    );
    expect(r.stderr).toContain('its verdict stands');
    const run = JSON.parse(readFileSync(join(project.dir, out.reportDir, 'run.json'), 'utf8'));
    expect(run.push).toMatchObject({ ok: false, url: `http://127.0.0.1:${port}` });
    expect(run.push.error).toMatch(/ECONNREFUSED/);
    expect(existsSync(join(project.dir, out.reportDir, 'report.md'))).toBe(true);
    expect(JSON.stringify(run) + r.stderr).not.toContain('t0psecret');
  });

  it('a --push that is not an http(s) URL is exit 2 before anything runs', async () => {
    const r = await runCli(['gate', '--phase', '5', '--push', 'ftp://user:pw@host/x'], { cwd: project.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--push ftp://host/…: expected an http:// or https:// URL, not ftp:');
    expect(r.stderr).not.toContain('pw@');
  });
});
