import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseFaultSpec, validateFaultTargets } from '../../src/core/faults.js';

const ok = (text: string) => {
  const r = parseFaultSpec(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const err = (text: string) => {
  const r = parseFaultSpec(text);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r.error;
};

describe('fault specs', () => {
  it('parses every fault kind', () => {
    expect(ok('target:rentguy-api:down')).toMatchObject({
      environment: 'target',
      service: 'rentguy-api',
      fault: { kind: 'down' },
    });
    expect(ok('target:a:latency=+80ms').fault).toEqual({ kind: 'latency-fixed', addMs: 80 });
    expect(ok('target:a:latency=+1.5s').fault).toEqual({ kind: 'latency-fixed', addMs: 1500 });
    expect(ok('target:a:latency=lognormal:20ms:0.3').fault).toEqual({
      kind: 'latency-lognormal',
      medianMs: 20,
      sigma: 0.3,
    });
    expect(ok('baseline:a:errors=5%').fault).toEqual({ kind: 'errors', rate: 0.05 });
    expect(ok('target:psra-api:drift=result.originCountry').fault).toEqual({
      kind: 'drift',
      path: 'result.originCountry',
      mode: 'value',
    });
    expect(ok('target:a:drift=items[0].id:missing').fault).toEqual({
      kind: 'drift',
      path: 'items[0].id',
      mode: 'missing',
    });
    expect(ok('target:a:drift=x.y:type').fault).toEqual({ kind: 'drift', path: 'x.y', mode: 'type' });
    expect(ok('target:a:stall=1s@5s').fault).toEqual({ kind: 'stall', durationMs: 1000, afterMs: 5000 });
    expect(ok('target:a:privileged').fault).toEqual({ kind: 'posture', defect: 'privileged' });
  });

  it('refuses a delay beyond 10 minutes, which a Node timer would run after 1 ms', () => {
    expect(err('target:a:latency=+3000000000ms')).toBe(
      '--fault "target:a:latency=+3000000000ms": latency "+3000000000ms": at most 10 min (600000 ms)',
    );
    expect(err('target:a:latency=+11m')).toMatch(/at most 10 min/);
    expect(err('target:a:latency=lognormal:1000s:0.3')).toMatch(/the median: at most 10 min/);
    expect(err('target:a:stall=20m@5s')).toMatch(/the stall: at most 10 min/);
    expect(err('target:a:stall=1s@1441m')).toMatch(/the start: at most 24 h/);
    expect(ok('target:a:latency=+10m').fault).toEqual({ kind: 'latency-fixed', addMs: 600_000 });
    expect(ok('target:a:stall=10m@1440m').fault).toEqual({
      kind: 'stall',
      durationMs: 600_000,
      afterMs: 86_400_000,
    });
  });

  it('reads a latency or error step: the same fault, starting some time after the simulator', () => {
    expect(ok('target:rentguy-api:latency=+200ms@30s').fault).toEqual({
      kind: 'latency-fixed',
      addMs: 200,
      afterMs: 30_000,
    });
    expect(ok('target:a:latency=lognormal:20ms:0.3@2m').fault).toEqual({
      kind: 'latency-lognormal',
      medianMs: 20,
      sigma: 0.3,
      afterMs: 120_000,
    });
    expect(ok('target:a:errors=20%@1.5s').fault).toEqual({ kind: 'errors', rate: 0.2, afterMs: 1500 });
    expect(err('target:a:errors=20%@soon')).toMatch(/errors "20%@soon": expected @START such as @30s/);
    expect(err('target:a:latency=+1s@1441m')).toMatch(/the start: at most 24 h/);
    expect(err('target:a:errors=150%@1s')).toMatch(/percentage 0–100/);
  });

  it('reads the page defects of a web frontend, slow-lcp with its delay', () => {
    for (const defect of [
      'layout-shift',
      'console-error',
      'broken-asset',
      'a11y-missing-label',
      'login-broken',
    ])
      expect(ok(`target:rentguy-frontend:${defect}`).fault).toEqual({ kind: 'page', defect });
    expect(ok('target:rentguy-frontend:slow-lcp=+800ms').fault).toEqual({
      kind: 'page',
      defect: 'slow-lcp',
      delayMs: 800,
    });
    expect(ok('target:rentguy-frontend:slow-lcp=+1.5s').fault).toMatchObject({ delayMs: 1500 });
    expect(err('target:rentguy-frontend:slow-lcp')).toMatch(
      /expected slow-lcp=\+DURATION such as slow-lcp=\+800ms/,
    );
    expect(err('target:rentguy-frontend:slow-lcp=800ms')).toMatch(/expected slow-lcp=\+DURATION/);
    expect(err('target:rentguy-frontend:slow-lcp=+11m')).toMatch(/at most 10 min/);
    expect(err('target:rentguy-frontend:layout-shift=3')).toBe(
      '--fault "target:rentguy-frontend:layout-shift=3": layout-shift takes no value',
    );
    expect(err('target:a:explode')).toMatch(/slow-lcp=\+800ms/);
  });

  it('keeps the source text for messages and records', () => {
    expect(ok('target:a:drift=x:missing').source).toBe('target:a:drift=x:missing');
  });

  it('rejects malformed specs with a message that says what was expected', () => {
    expect(err('target:rentguy-api')).toMatch(/expected ENV:SERVICE:FAULT/);
    expect(err('::down')).toMatch(/expected ENV:SERVICE:FAULT/);
    expect(err('target:a:explode')).toMatch(/unknown fault "explode"; expected one of: down/);
    expect(err('target:a:latency=80ms')).toMatch(/expected \+80ms or lognormal/);
    expect(err('target:a:latency=lognormal:20ms:x')).toMatch(/sigma/);
    expect(err('target:a:errors=150%')).toMatch(/percentage 0–100/);
    expect(err('target:a:errors=5')).toMatch(/percentage/);
    expect(err('target:a:drift=')).toMatch(/JSON field path/);
    expect(err('target:a:drift=a.b:gone')).toMatch(/:missing or :type/);
    expect(err('target:a:stall=1s')).toMatch(/DURATION@START/);
  });

  it('checks environments and services against the config', () => {
    const faults = [ok('prod:a:down'), ok('target:ghost:down')];
    expect(validateFaultTargets(faults, ['baseline', 'target'], ['a'])).toEqual([
      '--fault "prod:a:down": unknown environment "prod"; known: baseline, target',
      '--fault "target:ghost:down": unknown service "ghost"; known: a',
    ]);
  });

  it('parses data faults, aimed at a database rather than a service', () => {
    expect(ok('target:rentguy-db:drop-rows=bookings:5').fault).toEqual({
      kind: 'data',
      defect: 'drop-rows',
      table: 'bookings',
      count: 5,
    });
    expect(ok('target:rentguy-db:mutate-rows=public.equipment:3').fault).toMatchObject({
      table: 'public.equipment',
      count: 3,
    });
    expect(ok('target:rentguy-db:missing-index=bookings_starts_idx').fault).toEqual({
      kind: 'data',
      defect: 'missing-index',
      name: 'bookings_starts_idx',
    });
    expect(ok('target:rentguy-db:sequence-behind=bookings_id_seq').fault).toMatchObject({
      defect: 'sequence-behind',
      name: 'bookings_id_seq',
    });
    expect(ok('target:rentguy-db:timestamp-precision').fault).toEqual({
      kind: 'data',
      defect: 'timestamp-precision',
    });
    expect(ok('target:wpcs-db:timestamp-precision=pages.updated_at').fault).toMatchObject({
      name: 'pages.updated_at',
    });
    expect(err('target:rentguy-db:drop-rows=bookings')).toMatch(
      /expected drop-rows=TABLE:N such as drop-rows=bookings:5/,
    );
    expect(err('target:rentguy-db:drop-rows=bookings:0')).toMatch(/TABLE:N/);
    expect(err('target:rentguy-db:missing-index')).toMatch(/expected missing-index=NAME/);
    expect(err('target:rentguy-db:timestamp-precision=x')).toMatch(/TABLE\.COLUMN/);
    const faults = [
      ok('target:rentguy-db:drop-rows=bookings:1'),
      ok('target:rentguy-api:drop-rows=bookings:1'),
    ];
    expect(validateFaultTargets(faults, ['target'], ['rentguy-api'], ['rentguy-db'])).toEqual([
      '--fault "target:rentguy-api:drop-rows=bookings:1": drop-rows is a fault of a database; known: rentguy-db',
    ]);
  });

  it('parses durations', () => {
    expect(parseDurationMs('250')).toBe(250);
    expect(parseDurationMs('2m')).toBe(120000);
    expect(parseDurationMs('abc')).toBeUndefined();
  });
});
