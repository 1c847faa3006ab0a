// Checks a performance scenario's setup and teardown steps, and every placeholder its requests use, when
// the scenario loads: a step written wrong, or a `{{bookingId}}` no setup step captures, is a message
// naming the scenario, the place and the placeholder — not a run that reads ids that do not exist.
// Main process only (it brings zod); the load threads load scenarios without it.

import { z } from 'zod';
import { formatIssues } from '../../config/issues.js';
import { parseScenarioThreshold } from '../../core/gates/thresholds.js';
import { toProfile } from '../../core/load/profile.js';
import {
  type IterationContext,
  type PerformanceScenario,
  type RequestSpec,
  resolve,
  type SetupStep,
} from '../../core/load/scenario.js';
import { performanceScenarioSchema } from '../../core/load/schema.js';
import { stepSchema } from '../../core/steps/step.js';
import { placeholdersIn } from '../../core/steps/template.js';

/** The integration step without what a performance setup step cannot have. */
const setupStepSchema = stepSchema.omit({ service: true, auth: true, parity: true });

/** Keys of an integration step that a setup step leaves out, and why. */
const NOT_HERE: Record<string, string> = {
  service: "a setup step goes to the scenario's own service",
  auth: 'a setup step carries no auth profile; send a token in a header, e.g. from {{env.VAR}}',
  parity: 'setup steps are checked, not compared between environments',
};

/** A value standing in for each captured variable while computed requests are tried out. */
const sample = (name: string) => `${name}-sample`;

interface Scope {
  /** Variables defined at this point: `runId` and the captures so far. */
  vars: ReadonlySet<string>;
  env: ReadonlySet<string>;
  /** Says where a missing variable would have had to come from. */
  missingHint: string;
}

function placeholderProblems(at: string, value: unknown, scope: Scope): string[] {
  const problems: string[] = [];
  for (const name of placeholdersIn(value)) {
    if (name.startsWith('env.')) {
      const variable = name.slice(4);
      if (!scope.env.has(variable)) {
        problems.push(
          `${at} uses {{${name}}}, but ${variable} is not in the scenario's env list (add env: ['${variable}'])`,
        );
      }
    } else if (!scope.vars.has(name)) {
      problems.push(`${at} uses {{${name}}}, which ${scope.missingHint}`);
    }
  }
  return problems;
}

function stepProblems(where: string, steps: unknown, scope: Scope, captures: Set<string>): string[] {
  if (steps === undefined) return [];
  if (!Array.isArray(steps)) return [`${where}: expected a list of steps`];
  const problems: string[] = [];
  const names = new Set<string>();
  steps.forEach((step: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof step === 'object' && step !== null) {
      for (const key of Object.keys(NOT_HERE))
        if (key in step) problems.push(`${at}.${key}: not available here: ${NOT_HERE[key]}`);
    }
    const parsed = setupStepSchema.safeParse(step);
    if (!parsed.success) {
      for (const line of formatIssues(parsed.error.issues)) {
        if (!Object.keys(NOT_HERE).some((k) => line.startsWith(`${k}:`))) problems.push(`${at}.${line}`);
      }
      return;
    }
    const s = step as SetupStep;
    if (names.has(s.name)) problems.push(`${at}.name: two steps are named "${s.name}"`);
    names.add(s.name);
    const { method: _m, timeoutMs: _t, retries: _r, ...text } = s.request;
    problems.push(
      ...placeholderProblems(`${at} (${s.name})`, text, {
        ...scope,
        vars: new Set([...scope.vars, ...captures]),
      }),
    );
    for (const name of Object.keys(s.capture ?? {})) captures.add(name);
  });
  return problems;
}

/**
 * Tries a computed part of a request for a few iterations with stand-in values, noting every captured
 * variable it reads that the setup does not capture, and the placeholders in what it returns.
 */
function computedProblems(at: string, r: RequestSpec, scope: Scope): string[] {
  const unknown = new Set<string>();
  const known = Object.fromEntries([...scope.vars].map((n) => [n, sample(n)]));
  const vars = new Proxy(known, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key !== 'toJSON' && key !== 'then') unknown.add(key);
      return Reflect.get(target, key);
    },
  });
  const results: unknown[] = [];
  for (let iteration = 0; iteration < 3; iteration++) {
    const ctx: IterationContext = { iteration, vu: 0, env: {}, vars };
    for (const part of [r.path, r.headers, r.body]) {
      if (typeof part !== 'function') continue;
      try {
        results.push(resolve(part, ctx));
      } catch {
        // A computed part that throws on stand-in values is judged when it runs, where its error is counted.
      }
    }
  }
  return [
    ...[...unknown].map((name) => `${at} reads vars.${name}, which ${scope.missingHint}`),
    ...placeholderProblems(at, results, scope),
  ];
}

function capturesList(captures: ReadonlySet<string>): string {
  return captures.size > 0
    ? `no setup step captures (the setup captures ${[...captures].join(', ')})`
    : 'no setup step captures (the scenario has no setup step capturing values)';
}

/** Every problem with the scenario's setup, teardown and placeholders; empty when there is none. */
export function setupProblems(s: PerformanceScenario): string[] {
  const env = new Set(s.env ?? []);
  const base = new Set(['runId']);
  const setupCaptures = new Set<string>();
  const problems = stepProblems(
    'setup',
    s.setup,
    { vars: base, env, missingHint: 'no earlier setup step captures' },
    setupCaptures,
  );
  const afterSetup = new Set([...base, ...setupCaptures]);
  problems.push(
    ...stepProblems(
      'teardown',
      s.teardown,
      { vars: afterSetup, env, missingHint: 'neither the setup nor an earlier teardown step captures' },
      new Set(),
    ),
  );
  const scope: Scope = { vars: afterSetup, env, missingHint: capturesList(setupCaptures) };
  (Array.isArray(s.requests) ? s.requests : []).forEach((r, i) => {
    const at = `requests[${i}]`;
    const fixed = {
      path: typeof r.path === 'function' ? undefined : r.path,
      headers: typeof r.headers === 'function' ? undefined : r.headers,
      body: typeof r.body === 'function' ? undefined : r.body,
    };
    for (const [part, value] of Object.entries(fixed))
      problems.push(...placeholderProblems(`${at}.${part}`, value, scope));
    problems.push(...computedProblems(at, r, scope));
  });
  return problems;
}

/** The stand-in variables a plan resolves computed paths with (to refuse foreign hosts before any load). */
export function sampleVars(s: PerformanceScenario): Record<string, string> {
  const names = ['runId', ...(s.setup ?? []).flatMap((step) => Object.keys(step.capture ?? {}))];
  return Object.fromEntries(names.map((n) => [n, sample(n)]));
}

/**
 * Checks a loaded module against the load scenario's schema (core/load/schema.ts: strict, as k6 is), its
 * executor against k6's rules (profile.ts) and its thresholds against the gates' grammar. Throws an Error
 * whose message names where and the first problem; the steps are checked by setupProblems.
 */
export function validateScenario(value: unknown, where: string): asserts value is PerformanceScenario {
  // Steps are read by setupProblems, which names what a setup step cannot have in words of its own.
  const parsed = performanceScenarioSchema
    .extend({ setup: z.unknown().optional(), teardown: z.unknown().optional() })
    .safeParse(value);
  if (!parsed.success) {
    const [first, ...rest] = formatIssues(parsed.error.issues);
    if (first) throw new Error(`${where}: ${first}${rest.length ? ` (and ${rest.length} more)` : ''}`);
  }
  const s = value as PerformanceScenario;
  for (const key of ['setup', 'teardown'] as const)
    if (s[key] !== undefined && !Array.isArray(s[key]))
      throw new Error(`${where}: ${key}: expected a list of steps`);
  try {
    toProfile(s.executor);
  } catch (error) {
    throw new Error(`${where}: executor (${s.executor.executor}): ${(error as Error).message}`);
  }
  const tags = requestTags(s);
  for (const [metric, list] of Object.entries(s.thresholds ?? {})) {
    for (const t of list) {
      try {
        parseScenarioThreshold(metric, t, tags);
      } catch (error) {
        throw new Error(`${where}: thresholds.${metric}: ${(error as Error).message}`);
      }
    }
  }
}

/** The tags a scenario's requests carry (`tags`), which its thresholds' filters may name too. */
export function requestTags(s: PerformanceScenario): string[] {
  return [
    ...new Set([...Object.keys(s.tags ?? {}), ...s.requests.flatMap((r) => Object.keys(r.tags ?? {}))]),
  ];
}

/** The scenario's old declaring name, when it was declared with one (define.ts marks it): for a note. */
export function oldName(s: PerformanceScenario): string | undefined {
  const name = (s as unknown as Record<symbol, unknown>)[Symbol.for('cutover.deprecatedName')];
  return typeof name === 'string' ? name : undefined;
}
