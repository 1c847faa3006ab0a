// `cutover history` and the report's trend read each earlier run's summary only (runSummarySchema): what
// they show must not depend on the rest of run.json, and what they cannot read is listed, not hidden.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../../src/record/history.js';
import { RUN_SCHEMA } from '../../src/record/run-schema.js';
import { gateRecord } from '../helpers/gate-record.js';
import { tmpDir } from '../helpers/project.js';

function write(reports: string, id: string, name: string, text: string): void {
  mkdirSync(join(reports, id), { recursive: true });
  writeFileSync(join(reports, id, name), text);
}

describe('run history', () => {
  it("lists each run's verdict, gates and checks from its summary, newest first", () => {
    const reports = tmpDir('history');
    const full = gateRecord();
    write(
      reports,
      '20261128-090000-aaaa',
      'run.json',
      JSON.stringify({ ...full, id: '20261128-090000-aaaa' }),
    );
    // The same run with evidence no reader of history looks at, damaged: history still lists it.
    const damaged = { ...full, id: '20261128-090100-bbbb', evidence: [{ kind: 'nonsense' }] };
    write(reports, '20261128-090100-bbbb', 'run.json', JSON.stringify(damaged));
    const { entries, unreadable } = readHistory(reports, 20);
    expect(unreadable).toEqual([]);
    expect(entries.map((e) => e.id)).toEqual(['20261128-090100-bbbb', '20261128-090000-aaaa']);
    for (const e of entries) {
      expect(e.verdict).toBe(full.verdict);
      expect(e.gates).toEqual(full.gates.map((g) => ({ id: g.id, verdict: g.verdict })));
      expect(e.checks).toEqual({
        total: full.checks.length,
        failed: full.checks.filter((c) => c.status === 'fail').length,
      });
      expect(e.faults).toEqual(full.faults);
    }
  });

  it('lists what it cannot read with the reason, and rebuilds a killed run from its events', () => {
    const reports = tmpDir('history-bad');
    write(reports, '20261128-080000-cccc', 'run.json', '{ not json');
    write(reports, '20261128-080100-dddd', 'run.json', JSON.stringify({ schema: 'cutover.run/v9' }));
    const { gates: _gates, ...meta } = gateRecord();
    const broken = { ...meta, schema: RUN_SCHEMA, gates: [{ id: 'x' }] };
    write(reports, '20261128-080200-eeee', 'run.json', JSON.stringify(broken));
    const start = {
      type: 'run-start',
      at: '2026-11-28T08:03:00Z',
      run: { ...gateRecord(), id: '20261128-080300-ffff' },
    };
    write(reports, '20261128-080300-ffff', 'events.jsonl', `${JSON.stringify(start)}\n{"type":"che`);
    const { entries, unreadable } = readHistory(reports, 20);
    expect(entries.map((e) => [e.id, e.status])).toEqual([['20261128-080300-ffff', 'interrupted']]);
    expect(unreadable).toHaveLength(3);
    expect(unreadable.join('\n')).toMatch(/080000-cccc.*not valid JSON/);
    expect(unreadable.join('\n')).toMatch(/080100-dddd.*schema "cutover\.run\/v9"/);
    expect(unreadable.join('\n')).toMatch(/080200-eeee.*not a valid run record: gates/);
  });
});
