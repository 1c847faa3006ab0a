// `cutover demo` with the data suite: one real PostgreSQL per environment, seeded alike, with session
// defaults that differ on purpose. A healthy demo shows no data difference and the waves' data-parity
// criteria pass; each data fault on the target is found and named at table, key, column, index or
// sequence, and turns data-parity to FAIL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model.js';
import { makeSimProject, runCli } from '../helpers/project.js';

function dataChecks(dir: string): CheckResult[] {
  const [id] = readdirSync(join(dir, 'reports')).filter((d) => /^\d{8}-/.test(d));
  return readFileSync(join(dir, 'reports', id!, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; check?: CheckResult })
    .flatMap((e) => (e.type === 'check' && e.check?.suite === 'data-parity' ? [e.check] : []));
}

describe('cutover demo: data parity', () => {
  it('shows no data difference on a healthy demo although the servers format values differently', async () => {
    const p = await makeSimProject('demo-data-go');
    const started = performance.now();
    const r = await runCli(['--config', p.configFile, 'demo', '--suite', 'data-parity'], { cwd: p.dir });
    const seconds = (performance.now() - started) / 1000;
    const checks = dataChecks(p.dir);
    expect(checks.filter((c) => c.status !== 'pass').map((c) => `${c.check}: ${c.reason}`)).toEqual([]);
    expect(checks.map((c) => c.check).sort()).toEqual([
      'psra-db public.assessments',
      'psra-db public.origin_checks',
      'psra-db schema',
      'rentguy-db public.bookings',
      'rentguy-db public.equipment',
      'rentguy-db schema',
      'wpcs-db public.page_views',
      'wpcs-db public.pages',
      'wpcs-db schema',
    ]);
    // Every gate's data-parity criterion passes on this run (the others lack evidence here).
    const [id] = readdirSync(join(p.dir, 'reports')).filter((d) => /^\d{8}-/.test(d));
    const record = JSON.parse(readFileSync(join(p.dir, 'reports', id!, 'run.json'), 'utf8')) as {
      gates: Array<{ id: string; criteria: Array<{ id: string; status: string; reason: string }> }>;
    };
    const dataParity = record.gates.flatMap((g) =>
      g.criteria.filter((c) => c.id === 'data-parity').map((c) => `${g.id} ${c.status}`),
    );
    expect(dataParity.sort(), r.stdout).toEqual([
      '3-psra PASS',
      '3-rentguy PASS',
      '3-wpcs PASS',
      '4 PASS',
      '5 PASS',
    ]);
    expect(seconds).toBeLessThan(60);
  }, 120_000);

  it('finds and names every data fault on the target', async () => {
    const p = await makeSimProject('demo-data-faults');
    const r = await runCli(
      [
        '--config',
        p.configFile,
        'demo',
        '--suite',
        'data-parity',
        '--fault',
        'target:rentguy-db:drop-rows=bookings:5',
        '--fault',
        'target:rentguy-db:mutate-rows=equipment:3',
        '--fault',
        'target:rentguy-db:missing-index=bookings_starts_idx',
        '--fault',
        'target:psra-db:sequence-behind=assessments_id_seq',
        '--fault',
        'target:wpcs-db:timestamp-precision=pages.updated_at',
      ],
      { cwd: p.dir },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const reason = (check: string) => dataChecks(p.dir).find((c) => c.check === check);
    const bookings = reason('rentguy-db public.bookings')!;
    expect(bookings.status).toBe('fail');
    expect(bookings.reason).toMatch(
      /1500 rows in the baseline, 1495 in the target; 5 missing from the target \(id=\d+, id=\d+, id=\d+, id=\d+, id=\d+\)/,
    );
    expect(bookings.reason).toMatch(/index bookings_starts_idx is missing from the target/);
    expect(reason('rentguy-db public.equipment')!.reason).toMatch(
      /^3 changed \(id=\d+: name, id=\d+: name, id=\d+: name\)$/,
    );
    expect(reason('psra-db public.assessments')!.reason).toMatch(
      /sequence public\.assessments_id_seq in the target hands out 2 next, but public\.assessments\.id already holds 600: the next insert would collide/,
    );
    const pages = reason('wpcs-db public.pages')!;
    expect(pages.reason).toMatch(/changed \(slug=page-\S+: updated_at/);
    expect(pages.reason).toMatch(
      /type timestamp with time zone in the baseline, timestamp\(0\) with time zone in the target/,
    );
    // Untouched tables stay equal; the gates name the failure.
    expect(reason('psra-db public.origin_checks')!.status).toBe('pass');
    expect(r.stdout).toMatch(/FAIL\s+data-parity: data-parity\{wave:rentguy\}\.failed = 2/);
  }, 120_000);

  it('rejects a data fault aimed at an unknown database before anything starts', async () => {
    const p = await makeSimProject('demo-data-bad-fault');
    const r = await runCli(
      ['--config', p.configFile, 'demo', '--suite', 'data-parity', '--fault', 'target:nope-db:drop-rows=x:1'],
      {
        cwd: p.dir,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('drop-rows is a fault of a database; known: rentguy-db, psra-db, wpcs-db');
  });
});
