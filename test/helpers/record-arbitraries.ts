// fast-check generators for everything a run record holds: every evidence kind, every kind of parity
// difference with its baseline and target value present, absent or undefined, every check, criterion
// and verdict status, gates with each optional field present, absent or undefined, load series, and
// the run's meta — with strings of odd characters, JSON values of every type nested, and numbers that
// include NaN, ±Infinity and -0 wherever the model's type (`number`) allows them.
import fc from 'fast-check';
import type {
  CoverageEvidence,
  DifferenceKind,
  Evidence,
  FindingEvidence,
  MetricEvidence,
  ParityDifference,
  ParityEvidence,
} from '../../src/core/evidence.js';
import type { CheckResult, CriterionGroup, CriterionResult, GateResult } from '../../src/core/model.js';
import type { LoadSeriesKey, LoadSeriesPoint } from '../../src/core/series.js';
import type { RunMeta, RunStatus, SuiteEnd } from '../../src/record/run-schema.js';

/** Strings a record must carry unchanged: escapes, separators JSON and JSONL care about, lone surrogates. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '"',
  '\\',
  '\\u0000',
  '\u2028\u2029',
  '\ufeff',
  '\ud800',
  '\udfff',
  'a\ud83d',
  '😀',
  'e\u0301',
  '</script><script>alert(1)</script>',
  '{"type":"run-end","at":"x","status":"completed"}',
  'null',
  'NaN',
  'undefined',
  'constructor',
  'toString',
  'hasOwnProperty',
];

export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
);

/**
 * Object keys: any text but `__proto__`, which zod does not copy when it reads a record (deliberately:
 * assigning it would replace the prototype of the object it builds). record-roundtrip.test.ts pins that.
 */
export const key: fc.Arbitrary<string> = text.filter((k) => k !== '__proto__');

/** Any number the type `number` allows: fc.double gives NaN, ±Infinity, -0 and extremes; counts are common. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
);

/** Present with a value, present as undefined, or (with fc.record's requiredKeys) absent. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const dict = <T>(value: fc.Arbitrary<T>) =>
  fc.dictionary(key, value, { maxKeys: 4, noNullPrototype: true }) as fc.Arbitrary<Record<string, T>>;

/** JSON values of every type, nested, with odd strings and non-finite numbers (JSON writes those as null). */
export const jsonish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    anyNumber,
    text,
    fc.array(tie('value'), { maxLength: 3 }),
    dict(tie('value')),
  ),
})).value;

const ENVIRONMENTS = fc.oneof(fc.constantFrom('baseline', 'target'), text);
const at = fc.oneof(fc.constant('2026-11-28T03:00:00.000Z'), text);

const CHECK_STATUSES = ['pass', 'fail', 'skip'] as const;
export const checkResult: fc.Arbitrary<CheckResult> = fc.record(
  {
    suite: text,
    environment: ENVIRONMENTS,
    service: text,
    check: text,
    status: fc.constantFrom(...CHECK_STATUSES),
    reason: text,
    data: maybe(dict(fc.oneof(text, anyNumber, fc.boolean(), fc.constant(null)))),
    at,
  },
  { requiredKeys: ['suite', 'environment', 'service', 'check', 'status', 'reason', 'at'] },
);

export const metricEvidence: fc.Arbitrary<MetricEvidence> = fc.record(
  {
    kind: fc.constant('metric' as const),
    suite: text,
    environment: ENVIRONMENTS,
    name: fc.oneof(fc.constantFrom('http_req_duration', 'http_req_failed', 'http_reqs'), text),
    type: fc.constantFrom('trend', 'rate', 'counter', 'gauge'),
    tags: dict(text),
    at,
    histogram: maybe(text),
    passes: maybe(anyNumber),
    fails: maybe(anyNumber),
    count: maybe(anyNumber),
    value: maybe(anyNumber),
  },
  { requiredKeys: ['kind', 'suite', 'environment', 'name', 'type', 'tags', 'at'] },
);

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = [
  'value',
  'type',
  'missing',
  'extra',
  'length',
  'order',
  'status',
  'header',
];

export const parityDifference: fc.Arbitrary<ParityDifference> = fc.record(
  {
    path: text,
    kind: fc.constantFrom(...DIFFERENCE_KINDS),
    baseline: maybe(jsonish),
    target: maybe(jsonish),
  },
  { requiredKeys: ['path', 'kind'] },
);

export const parityEvidence: fc.Arbitrary<ParityEvidence> = fc.record(
  {
    kind: fc.constant('parity' as const),
    suite: text,
    environment: ENVIRONMENTS,
    baseline: text,
    scenario: text,
    step: text,
    endpoint: text,
    service: maybe(text),
    compared: anyNumber,
    equal: anyNumber,
    differences: fc.array(parityDifference, { maxLength: 4 }),
    noise: fc.array(text, { maxLength: 3 }),
    learnedNoise: maybe(fc.array(text, { maxLength: 2 })),
    reason: maybe(text),
    at,
  },
  {
    requiredKeys: [
      'kind',
      'suite',
      'environment',
      'baseline',
      'scenario',
      'step',
      'endpoint',
      'compared',
      'equal',
      'differences',
      'noise',
      'at',
    ],
  },
);

export const findingEvidence: fc.Arbitrary<FindingEvidence> = fc.record({
  kind: fc.constant('finding' as const),
  suite: text,
  environment: ENVIRONMENTS,
  source: text,
  check: text,
  severity: fc.constantFrom('critical', 'high', 'medium', 'low', 'info'),
  object: text,
  path: text,
  message: text,
  remedy: text,
  at,
});

export const coverageEvidence: fc.Arbitrary<CoverageEvidence> = fc.record(
  {
    kind: fc.constant('coverage' as const),
    suite: fc.oneof(fc.constant('performance'), text),
    environment: ENVIRONMENTS,
    scope: text,
    status: fc.constantFrom('complete', 'partial', 'could-not-check'),
    reason: text,
    counts: maybe(dict(anyNumber)),
    service: maybe(text),
    at,
  },
  { requiredKeys: ['kind', 'suite', 'environment', 'scope', 'status', 'reason', 'at'] },
);

export const evidence: fc.Arbitrary<Evidence> = fc.oneof(
  metricEvidence,
  parityEvidence,
  findingEvidence,
  coverageEvidence,
);

const CRITERION_STATUSES = ['PASS', 'FAIL', 'INCONCLUSIVE', 'WAIVED'] as const;
const VERDICTS = ['GO', 'NO-GO', 'INCONCLUSIVE'] as const;
const figureOrNull = fc.oneof(anyNumber, fc.constant(null));
const interval = fc.record({ low: anyNumber, high: anyNumber, level: anyNumber });

export const criterionGroup: fc.Arbitrary<CriterionGroup> = fc.record(
  {
    key: text,
    status: fc.constantFrom(...CRITERION_STATUSES),
    reason: text,
    value: maybe(figureOrNull),
    limit: maybe(figureOrNull),
    interval: maybe(interval),
    n: maybe(anyNumber),
    nBaseline: maybe(anyNumber),
    target: maybe(anyNumber),
    baseline: maybe(anyNumber),
  },
  { requiredKeys: ['key', 'status', 'reason'] },
);

export const criterionResult: fc.Arbitrary<CriterionResult> = fc.record(
  {
    id: text,
    title: text,
    status: fc.constantFrom(...CRITERION_STATUSES),
    reason: text,
    blocking: fc.boolean(),
    // An integer by the schema: the plan's success criterion 1–6.
    successCriterion: maybe(fc.integer()),
    evidence: maybe(text),
    value: maybe(figureOrNull),
    limit: maybe(figureOrNull),
    unit: maybe(text),
    interval: maybe(interval),
    n: maybe(anyNumber),
    nBaseline: maybe(anyNumber),
    rule: maybe(text),
    samplesToSettle: maybe(anyNumber),
    groups: maybe(fc.array(criterionGroup, { maxLength: 3 })),
    waiver: maybe(
      fc.record(
        { owner: text, reason: text, expires: text, expired: fc.boolean(), file: maybe(text) },
        { requiredKeys: ['owner', 'reason', 'expires', 'expired'] },
      ),
    ),
    missing: maybe(text),
    evidenceAt: maybe(text),
    maxAgeMs: maybe(anyNumber),
  },
  { requiredKeys: ['id', 'title', 'status', 'reason', 'blocking'] },
);

export const gateResult: fc.Arbitrary<GateResult> = fc.record(
  {
    id: text,
    title: text,
    verdict: fc.constantFrom(...VERDICTS),
    summary: text,
    criteria: fc.array(criterionResult, { maxLength: 3 }),
    phase: maybe(anyNumber),
    wave: maybe(text),
    decides: maybe(fc.boolean()),
    aside: maybe(text),
    missing: maybe(fc.array(text, { maxLength: 2 })),
  },
  { requiredKeys: ['id', 'title', 'verdict', 'summary', 'criteria'] },
);

/** Few distinct keys, so points of one series meet and merge as they do in a run. */
export const seriesKey: fc.Arbitrary<LoadSeriesKey> = fc.record(
  {
    suite: fc.constantFrom('performance', '\u2028'),
    scenario: fc.constantFrom('rentguy', 'e\u0301'),
    service: fc.constantFrom('rentguy-api', ''),
    environment: fc.constantFrom('baseline', 'target'),
    // Positive by the schema (seconds a point covers; core/series.ts chooses it).
    stepS: fc.constantFrom(1, 3, 0.5),
    timelineS: maybe(fc.oneof(fc.double({ min: Number.MIN_VALUE }), fc.constant(Number.NaN))),
  },
  { requiredKeys: ['suite', 'scenario', 'service', 'environment', 'stepS'] },
);

export const seriesPoint: fc.Arbitrary<LoadSeriesPoint> = fc.record({
  t: fc.oneof(fc.integer({ min: 0, max: 5 }), anyNumber),
  requests: anyNumber,
  failed: anyNumber,
  dropped: anyNumber,
  p50Ms: anyNumber,
  p95Ms: anyNumber,
  p99Ms: anyNumber,
  maxMs: anyNumber,
});

/** A run's meta without its id: the test gives each run a unique folder name. */
export const runMeta: fc.Arbitrary<Omit<RunMeta, 'id'>> = fc.record(
  {
    command: text,
    startedAt: at,
    tool: fc.record(
      { name: text, version: text, node: text, browser: text },
      { requiredKeys: ['name', 'version', 'node'] },
    ),
    config: fc.record({ file: text, project: text }),
    environments: fc.array(
      fc.record({
        name: ENVIRONMENTS,
        kind: text,
        services: fc.array(fc.record({ id: text, url: text }), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    services: fc.array(
      fc.record(
        { id: text, tier: text, phase: anyNumber, wave: maybe(text) },
        { requiredKeys: ['id', 'tier', 'phase'] },
      ),
      { maxLength: 2 },
    ),
    faults: fc.array(text, { maxLength: 2 }),
    suites: maybe(fc.array(text, { maxLength: 3 })),
  },
  { requiredKeys: ['command', 'startedAt', 'tool', 'config', 'environments', 'services', 'faults'] },
);

/** A suite's end, as the engine records it after the suite ran. */
export const suiteEnd: fc.Arbitrary<SuiteEnd> = fc.record(
  { suite: text, status: fc.constantFrom('completed', 'failed'), reason: maybe(text), at },
  { requiredKeys: ['suite', 'status', 'at'] },
);

/** What a suite hands the recorder, in the order it arrives. */
export type RecorderCall =
  | { check: CheckResult }
  | { evidence: Evidence }
  | { gate: GateResult }
  | { suiteEnd: SuiteEnd }
  | { series: LoadSeriesKey; point: LoadSeriesPoint };

export const recorderCall: fc.Arbitrary<RecorderCall> = fc.oneof(
  fc.record({ check: checkResult }),
  fc.record({ evidence }),
  fc.record({ gate: gateResult }),
  fc.record({ suiteEnd }),
  fc.record({ series: seriesKey, point: seriesPoint }),
);

/** A run: its meta, what was recorded, and how it ended (undefined: killed before it finished). */
export const recordedRun = fc.record({
  meta: runMeta,
  calls: fc.array(recorderCall, { maxLength: 12 }),
  end: fc.option(
    fc.record(
      {
        // 'running' is no way to finish: the reader marks such a record interrupted.
        status: fc.constantFrom<RunStatus>('completed', 'interrupted', 'failed'),
        verdict: maybe(fc.constantFrom(...VERDICTS)),
        verdictReason: maybe(text),
      },
      { requiredKeys: ['status'] },
    ),
    { nil: undefined },
  ),
});
