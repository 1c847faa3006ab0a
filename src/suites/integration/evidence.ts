// Turns the passes of one scenario into what the run records: a check per step per environment, and a
// parity comparison per step per target (baseline first pass vs target, with the baseline's further
// passes as the noise reference). Values recorded are redacted and shortened here, at the source.

import type { ParityDifference, ParityEvidence } from '../../core/evidence.js';
import type { CheckResult } from '../../core/model.js';
import { compareResponses, type ParityRules } from '../../core/parity/compare.js';
import { jsonType } from '../../core/parity/diff.js';
import { formatOf } from '../../core/parity/format.js';
import type { StepNoise } from '../../core/parity/learned-noise.js';
import { compileNormalisers, type Substitution } from '../../core/parity/normalise.js';
import { type PathPattern, parsePattern } from '../../core/parity/path.js';
import { preview } from '../../core/parity/preview.js';
import { endpointName } from '../../core/steps/template.js';
import { isSecretName, REDACTED, type Redactor } from '../../runners/auth/redact.js';
import type { ParitySpec, ScenarioSpec } from './define.js';
import type { PassResult, StepRun } from './pass.js';

export function checkFor(scenario: ScenarioSpec, run: StepRun, environment: string, at: string): CheckResult {
  const base = {
    suite: 'integration',
    environment,
    service: run.service,
    check: `${scenario.name} › ${run.step.name}`,
    at,
  };
  const data = {
    scenario: scenario.name,
    step: run.step.name,
    phase: run.phase,
    endpoint: run.endpoint,
    ...(run.response
      ? { status: run.response.status, durationMs: Math.round(run.response.elapsedMs * 10) / 10 }
      : {}),
  };
  if (run.skipped) return { ...base, status: 'skip', reason: `not sent: ${run.skipped}`, data };
  if (run.failure) return { ...base, status: 'fail', reason: `${run.endpoint}: ${run.failure}`, data };
  const r = run.response!;
  // What the answer's own words cannot show: a body that is not text, a server that broke the framing.
  const notes = [
    r.notUtf8 && !run.problems.some((p) => p.includes(r.notUtf8!)) ? `${r.notUtf8}; compared as bytes` : '',
    r.framing?.message ?? '',
  ].filter(Boolean);
  const noted = {
    ...data,
    ...(r.notUtf8 ? { notUtf8: r.notUtf8 } : {}),
    ...(r.framing ? { framing: r.framing.message } : {}),
  };
  const tail = notes.map((n) => `; ${n}`).join('');
  if (run.problems.length > 0)
    return {
      ...base,
      status: 'fail',
      reason: `${run.endpoint}: ${run.problems.join('; ')}${tail}`,
      data: noted,
    };
  return {
    ...base,
    status: 'pass',
    reason: `${run.endpoint}: ${r.status} in ${Math.round(r.elapsedMs)} ms, as expected${tail}`,
    data: noted,
  };
}

const patterns = (list: readonly string[] | undefined): PathPattern[] =>
  (list ?? []).map((p) => parsePattern(p)).filter((p): p is PathPattern => typeof p !== 'string');

function rulesFor(scenario: ScenarioSpec, own: ParitySpec | undefined): ParityRules {
  const specs = [scenario.parity, own].filter((s): s is ParitySpec => s !== undefined);
  const headers = specs.flatMap((s) => s.headers ?? []).map((h) => h.toLowerCase());
  return {
    ignore: specs.flatMap((s) => patterns(s.ignore)),
    shape: specs.flatMap((s) => patterns(s.shape)),
    headers: headers.length > 0 ? [...new Set(headers)] : ['content-type'],
    ignoreHeaders: specs.flatMap((s) => s.ignoreHeaders ?? []).map((h) => h.toLowerCase()),
    normalisers: compileNormalisers(specs.flatMap((s) => s.normalise ?? [])).normalisers,
    literal: specs.flatMap((s) => patterns(s.literal)),
  };
}

/** Each environment's own values become the same placeholders on every side: captured ids, base URLs. */
function substitutionsFor(pass: PassResult, services: Readonly<Record<string, string>>): Substitution[] {
  const subs: Substitution[] = [];
  for (const [name, value] of Object.entries(pass.vars)) {
    // Very short values (an execution counter "7") would rewrite unrelated text; they are compared as they are.
    if (name !== 'runId' && value.length >= 6) subs.push({ value, placeholder: `{{${name}}}` });
  }
  for (const [service, url] of Object.entries(services)) {
    const u = new URL(url);
    subs.push({ value: url.replace(/\/$/, ''), placeholder: `{base:${service}}` });
    subs.push({ value: u.host, placeholder: `{host:${service}}` });
  }
  return subs;
}

function redactDifference(d: ParityDifference, redactor: Redactor): ParityDifference {
  const leaf =
    d.path
      .split(/[.[\]"]+/)
      .filter(Boolean)
      .at(-1) ?? '';
  const secret = isSecretName(leaf);
  const show = (v: unknown) => (v === undefined ? undefined : secret ? REDACTED : preview(redactor.value(v)));
  return { path: d.path, kind: d.kind, baseline: show(d.baseline), target: show(d.target) };
}

export interface ParityInputs {
  scenario: ScenarioSpec;
  baselineName: string;
  first: PassResult;
  /** The baseline's further passes (the noise reference); empty when none could be taken. */
  repeats: readonly PassResult[];
  /** Why further baseline passes broke down, when they did (a step then has no noise reference). */
  brokenRepeats?: readonly string[];
  target: PassResult;
  /** Noise earlier runs learned (`cutover run --noise-from`), by step: see learnedKey. */
  learned?: ReadonlyMap<string, readonly string[]>;
  baselineServices: Readonly<Record<string, string>>;
  targetServices: Readonly<Record<string, string>>;
  redactor: Redactor;
  at: string;
}

/** The steps whose answers are compared across environments: the flow's own, unless `parity: false`. */
function comparedSteps(scenario: ScenarioSpec) {
  return scenario.steps.filter((step) => step.parity !== false);
}

/** Why a step has no answer in an environment, as the rest of "step 'X' of scenario 'Y' …". */
function noAnswer(run: StepRun | undefined, environment: string): string {
  if (!run) return `was not run on ${environment}`;
  if (run.skipped) return `was not sent on ${environment}: ${run.skipped}`;
  return `got no answer on ${environment}: ${run.failure ?? 'no response'}`;
}

/**
 * Parity evidence for a scenario whose pass broke down on the baseline or on this target: each step
 * that should have been compared is there, compared 0, with the reason. A step that leaves no item
 * could let the other steps of its service pass for all of it.
 */
export function parityNotRun(
  scenario: ScenarioSpec,
  target: string,
  baseline: string,
  reason: string,
  at: string,
): ParityEvidence[] {
  return comparedSteps(scenario).map((step) => ({
    kind: 'parity' as const,
    suite: 'integration',
    environment: target,
    baseline,
    scenario: scenario.name,
    step: step.name,
    endpoint: endpointName(step.request.method, step.request.path),
    service: step.service ?? scenario.service,
    compared: 0,
    equal: 0,
    differences: [],
    noise: [],
    reason,
    at,
  }));
}

/** How recorded noise is filed: by scenario and step, as the step's name is its identity in a scenario. */
export const learnedKey = (scenario: string, step: string) => `${scenario} › ${step}`;

/** The noise a recorded baseline carried into this run (`cutover run --noise-from`), by step. */
export function learnedNoise(noise: readonly StepNoise[] = []): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of noise) out.set(learnedKey(n.scenario, n.step), n.paths);
  return out;
}

/**
 * Parity evidence for each compared step of one target; steps with `parity: false` are left out. A step
 * that could not be compared — not sent on a side, no baseline answer, no noise reference — is an item
 * with `compared: 0` and the reason, which keeps a parity criterion of its service from passing.
 */
export function parityFor(input: ParityInputs): ParityEvidence[] {
  const { scenario, first, repeats, target } = input;
  const out: ParityEvidence[] = [];
  const subsA = substitutionsFor(first, input.baselineServices);
  const subsR = repeats.map((r) => substitutionsFor(r, input.baselineServices));
  const subsT = substitutionsFor(target, input.targetServices);
  for (const a of first.runs) {
    if (a.phase !== 'steps' || a.step.parity === false) continue;
    // Matched by step, not position: a pass that stopped early has fewer runs.
    const same = (r: StepRun) => r.phase === a.phase && r.step.name === a.step.name;
    const t = target.runs.find(same);
    // A repeat that could not answer the step teaches nothing about it; the others still do. Nor does
    // one that missed an expectation the first answer met (a 503 where the first got 200): what it
    // differs in is a failure, and taken for noise it would forgive the target the same failure.
    const again = repeats.flatMap((r, i) => {
      const run = r.runs.find(same);
      const healthy = run?.response && (run.problems.length === 0 || a.problems.length > 0);
      return healthy ? [{ run, subs: subsR[i]! }] : [];
    });
    const base = {
      kind: 'parity' as const,
      suite: 'integration',
      environment: target.environment,
      baseline: input.baselineName,
      scenario: scenario.name,
      step: a.step.name,
      endpoint: a.endpoint,
      service: a.service,
      at: input.at,
    };
    const uncompared = (reason: string): ParityEvidence => ({
      ...base,
      compared: 0,
      equal: 0,
      differences: [],
      noise: [],
      reason: input.redactor.text(reason),
    });
    // Without a baseline answer there is nothing to hold the target to, and a target that was not
    // sent said nothing: no evidence for this step either way, and the item says why.
    if (!a.response) {
      out.push(uncompared(noAnswer(a, input.baselineName)));
      continue;
    }
    if (!t || t.skipped) {
      out.push(uncompared(noAnswer(t, target.environment)));
      continue;
    }
    if (!t.response) {
      out.push({
        ...base,
        compared: 1,
        equal: 0,
        differences: [
          {
            path: '@response',
            kind: 'missing',
            baseline: `status ${a.response.status}`,
            target: t.failure ?? 'no response',
          },
        ],
        noise: [],
      });
      continue;
    }
    // The baseline's further answers are the noise reference: without one fresh ids would read as drift.
    if (again.length === 0) {
      const why = input.brokenRepeats?.length
        ? input.brokenRepeats.join('; ')
        : repeats.length
          ? noAnswer(repeats[0]!.runs.find(same), input.baselineName)
          : 'no further pass was taken';
      out.push(uncompared(`has no further answer from ${input.baselineName} to tell noise by: ${why}`));
      continue;
    }
    const rules = rulesFor(scenario, typeof a.step.parity === 'object' ? a.step.parity : undefined);
    const side = (run: StepRun, subs: Substitution[]) => {
      const r = run.response!;
      return {
        response: {
          status: r.status,
          headers: r.headers,
          body: r.body,
          ...(r.bytes ? { bytes: r.bytes } : {}),
          // Only a fault read from the head is the same every time (http/framing.ts); one seen in the
          // bytes after the answer depends on when they arrived, and would differ at random.
          ...(r.framing?.fromHead ? { framing: r.framing.message } : {}),
        },
        substitutions: subs,
      };
    };
    const answered = [a, ...again.map((r) => r.run), t].flatMap((run) =>
      run.response ? [run.response] : [],
    );
    const learned = input.learned?.get(learnedKey(scenario.name, a.step.name));
    const outcome = compareResponses({
      baseline: side(a, subsA),
      repeats: again.map((r) => side(r.run, r.subs)),
      target: side(t, subsT),
      rules,
      ...(learned ? { learned } : {}),
      clock: {
        fromMs: Math.min(...answered.map((r) => r.receivedAt - r.elapsedMs)),
        toMs: Math.max(...answered.map((r) => r.receivedAt)),
      },
    });
    // Captured values differ by nature; their format must not (a UUID id must stay a UUID).
    const captureDiffs: ParityDifference[] = [];
    for (const [name, from] of Object.entries(a.step.capture ?? {})) {
      const va = a.captured[name];
      const vt = t.captured[name];
      if (va !== undefined && vt !== undefined && formatOf(va) !== formatOf(vt)) {
        captureDiffs.push({
          path: from.startsWith('header:') ? `@headers.${from.slice(7)}` : from,
          kind: 'value',
          baseline: va,
          target: vt,
        });
      }
    }
    const differences = summarise(a.response.body, t.response.body, [
      ...outcome.differences,
      ...captureDiffs.filter((c) => !outcome.differences.some((d) => d.path === c.path)),
    ]);
    out.push({
      ...base,
      compared: 1,
      equal: differences.length === 0 ? 1 : 0,
      differences: differences.map((d) => redactDifference(d, input.redactor)),
      noise: outcome.noise,
      learnedNoise: outcome.learned,
    });
  }
  return out;
}

/**
 * When the status differs, the two bodies are different kinds of answer (a booking and a "not found"
 * error): listing every field of one as missing from the other helps no one. The status difference
 * stands, and the bodies are shown once, side by side, at `$`.
 */
function summarise(baseline: unknown, target: unknown, differences: ParityDifference[]): ParityDifference[] {
  const status = differences.filter((d) => d.kind === 'status');
  const body = differences.filter((d) => !d.path.startsWith('@'));
  const headers = differences.filter((d) => d.path.startsWith('@') && d.kind !== 'status');
  // Read in order of consequence: the status, then the body's fields, then headers.
  if (status.length === 0 || body.length <= 1) return [...status, ...body, ...headers];
  return [
    ...status,
    ...headers,
    { path: '$', kind: jsonType(baseline) === jsonType(target) ? 'value' : 'type', baseline, target },
  ];
}
