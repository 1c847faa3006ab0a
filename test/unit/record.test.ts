import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { judgeRecord } from '../../src/engine/gates.js';
import { listRunDirs, locateRun, readRun } from '../../src/record/reader.js';
import { newRunId, RunRecorder } from '../../src/record/recorder.js';
import type { RunMeta } from '../../src/record/run-schema.js';
import { tmpDir } from '../helpers/project.js';

const meta = (id: string): RunMeta => ({
  id,
  command: 'run',
  startedAt: '2026-11-28T00:00:00.000Z',
  tool: { name: 'cutover', version: '0.1.0', node: 'v20.20.2' },
  config: { file: 'cutover.config.ts', project: 'p' },
  environments: [{ name: 'baseline', kind: 'compose', services: [{ id: 'a', url: 'http://127.0.0.1:1' }] }],
  services: [{ id: 'a', tier: 'application', phase: 3 }],
  faults: [],
});

const check = {
  suite: 'smoke',
  environment: 'baseline',
  service: 'a',
  check: 'reachable',
  status: 'pass' as const,
  reason: 'ok',
  at: '2026-11-28T00:00:01.000Z',
};

describe('run records', () => {
  it('writes events as they arrive and run.json at the end, and reads them back', () => {
    const reports = tmpDir('record');
    const r = RunRecorder.start(reports, meta('r1'));
    r.check(check);
    const events = readFileSync(join(r.dir, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(events.map((l) => JSON.parse(l).type)).toEqual(['run-start', 'check']);
    r.finish('completed', new Date('2026-11-28T00:00:02Z'), 'GO');
    const back = readRun(locateRun(reports, 'r1', '/'));
    expect(back).toMatchObject({
      schema: 'cutover.run/v1',
      status: 'completed',
      verdict: 'GO',
      checks: [check],
      evidence: [],
    });
    expect(back.partial).toBeUndefined();
  });

  it('reads back parity and coverage as written: a field missing on one side, why a step was not compared, the service', () => {
    const reports = tmpDir('record-evidence');
    const r = RunRecorder.start(reports, meta('r-evidence'));
    const parity = {
      kind: 'parity' as const,
      suite: 'integration',
      environment: 'target',
      baseline: 'baseline',
      scenario: 'shop',
      step: 'open session',
      endpoint: 'POST /sessions',
      service: 'a',
      compared: 1,
      equal: 0,
      // JSON leaves out the target's value of a field the target lacks.
      differences: [{ path: 'session.id', kind: 'missing' as const, baseline: 'abc-123', target: undefined }],
      noise: [],
      at: check.at,
    };
    const unsent = {
      ...parity,
      step: 'create order',
      compared: 0,
      differences: [],
      reason: 'was not sent on target: needs {{sessionId}}',
    };
    const coverage = {
      kind: 'coverage' as const,
      suite: 'integration',
      environment: 'target',
      scope: 'integration:a',
      service: 'a',
      status: 'partial' as const,
      reason: "step 'create order' of scenario 'shop' was not sent on target",
      counts: { planned: 2, sent: 1 },
      at: check.at,
    };
    for (const item of [parity, unsent, coverage]) r.evidence(item);
    r.finish('completed', new Date('2026-11-28T00:00:02Z'), 'INCONCLUSIVE');
    const back = readRun(locateRun(reports, 'r-evidence', '/'));
    expect(back.evidence).toEqual([
      { ...parity, differences: [{ path: 'session.id', kind: 'missing', baseline: 'abc-123' }] },
      unsent,
      coverage,
    ]);
  });

  it('rebuilds a killed run from events.jsonl, skipping a torn last line', () => {
    const reports = tmpDir('record-killed');
    const r = RunRecorder.start(reports, meta('r2'));
    r.check(check);
    r.check({ ...check, check: 'status' });
    appendFileSync(join(r.dir, 'events.jsonl'), '{"type":"check","check":{"suite":"sm');
    const back = readRun(r.dir);
    expect(back.partial).toBe(true);
    expect(back.status).toBe('interrupted');
    expect(back.checks).toHaveLength(2);
    expect(back.notes?.join(' ')).toMatch(/line 4 of events.jsonl is incomplete/);
  });

  it('rejects a corrupt run.json with the file and the problem', () => {
    const reports = tmpDir('record-corrupt');
    const r = RunRecorder.start(reports, meta('r3'));
    r.finish('completed', new Date(), 'GO');
    const file = join(r.dir, 'run.json');
    writeFileSync(file, '{"schema": "cutover.run/v1", "id": 5');
    expect(() => readRun(r.dir)).toThrow(UserError);
    expect(() => readRun(r.dir)).toThrow(/run\.json is not valid JSON/);
    writeFileSync(file, JSON.stringify({ schema: 'cutover.run/v1', id: 'r3', status: 'done' }));
    expect(() => readRun(r.dir)).toThrow(
      /run\.json is not a valid run record: command: missing; expected string/,
    );
    writeFileSync(file, JSON.stringify({ schema: 'cutover.run/v9' }));
    expect(() => readRun(r.dir)).toThrow(/has schema "cutover.run\/v9"; this cutover reads cutover.run\/v1/);
    rmSync(file);
    writeFileSync(join(r.dir, 'events.jsonl'), 'garbage\n');
    expect(() => readRun(r.dir)).toThrow(/holds no run-start event/);
  });

  it('names a missing run clearly', () => {
    expect(() => locateRun(tmpDir('record-none'), 'nope', '/')).toThrow(/no run "nope"/);
  });

  it('makes sortable run ids', () => {
    expect(newRunId(new Date('2026-11-28T03:04:05Z'), 'ab12')).toBe('20261128-030405-ab12');
  });

  it('lists runs newest first, ordering runs of the same second by the start they recorded', () => {
    const reports = tmpDir('record-order');
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 28, 3, 4, 5, ms)).toISOString();
    // Same second; the later run has the smaller random suffix, so ids alone would put it last.
    RunRecorder.start(reports, { ...meta('20261128-030405-ffff'), startedAt: at(100) }).finish(
      'completed',
      new Date(at(200)),
    );
    RunRecorder.start(reports, { ...meta('20261128-030405-0000'), startedAt: at(900) });
    // One recorded only run.json (as `gate` writes it), and an older and a newer second.
    const gateRun = join(reports, '20261128-030405-7777');
    mkdirSync(gateRun);
    writeFileSync(
      join(gateRun, 'run.json'),
      JSON.stringify({ ...meta('20261128-030405-7777'), startedAt: at(500) }),
    );
    RunRecorder.start(reports, { ...meta('20261128-030404-aaaa'), startedAt: '2026-11-28T03:04:04.999Z' });
    RunRecorder.start(reports, { ...meta('20261128-030406-0001'), startedAt: '2026-11-28T03:04:06.000Z' });
    expect(listRunDirs(reports).map((d) => basename(d))).toEqual([
      '20261128-030406-0001',
      '20261128-030405-0000',
      '20261128-030405-7777',
      '20261128-030405-ffff',
      '20261128-030404-aaaa',
    ]);
  });
});

describe('a record read back is judged by what it completed', () => {
  it('a record with gate results but no end event is INCONCLUSIVE, and says why', () => {
    const reports = tmpDir('record-noend');
    const r = RunRecorder.start(reports, { ...meta('r9'), suites: ['smoke', 'security'] });
    r.check(check);
    r.suiteEnd({ suite: 'smoke', status: 'completed', at: '2026-11-28T00:00:01.500Z' });
    r.suiteEnd({ suite: 'security', status: 'completed', at: '2026-11-28T00:00:01.600Z' });
    const gate = { id: 'smoke', title: 'Smoke', verdict: 'GO' as const, summary: 'ok', criteria: [] };
    r.gate(gate);
    // Killed here: the gates were written, the run's end was not.
    const back = readRun(r.dir);
    expect(back.suiteEnds?.map((e) => e.suite)).toEqual(['smoke', 'security']);
    expect(back.gates).toEqual([gate]);
    expect(judgeRecord(back)).toEqual({
      verdict: 'INCONCLUSIVE',
      reason:
        'the run is incomplete, so its evidence is too: the run ended without recording its end (the process was killed?)',
    });
    // The same record with its end written is judged by its gates.
    r.finish('completed', new Date('2026-11-28T00:00:02Z'));
    expect(judgeRecord(readRun(r.dir)).verdict).toBe('GO');
  });
});
