// Which placeholders a scenario's requests may use, checked when the scenario loads. A placeholder that
// nothing defines before its step would leave that step unsent in every environment, run after run: a
// step that quietly produces no evidence. So it is a mistake in the scenario file, named before anything
// is sent. Whether a defined placeholder has a value is known only at run time — a capture whose path is
// absent from an answer, an environment variable that is not set — and stays a run-time matter.

import { formatPath, suggest } from '../../config/issues.js';
import { placeholderNames } from '../../core/steps/template.js';
import type { ScenarioSpec, Step } from './define.js';
import { type Phase, phasesOf } from './pass.js';

/** Placeholders every step may use without defining them (run-pass.ts fills them in). */
export const BUILT_IN_PLACEHOLDERS: readonly string[] = ['runId'];

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every text of a request that is rendered, with where it is: `request.path`, `request.json.items[0].note`. */
function renderedTexts(step: Step): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const walk = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string') out.push({ where: formatPath(path), text: value });
    else if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, [...path, i]);
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  const { path, query, headers, json, form } = step.request;
  walk({ path, query, headers, json, form }, ['request']);
  return out;
}

const stepLabel = (phase: Phase, step: Step) => `${phase === 'steps' ? '' : `${phase} `}step "${step.name}"`;

/**
 * One line per placeholder a step uses that nothing running before it defines (the built-ins, values
 * captured by earlier steps of the flow, `env.NAME`), with where it is and a "did you mean".
 */
export function undefinedPlaceholders(scenario: ScenarioSpec): string[] {
  const order = phasesOf(scenario).flatMap(([phase, steps]) => steps.map((step) => ({ phase, step })));
  const defined = new Set(BUILT_IN_PLACEHOLDERS);
  const problems: string[] = [];
  for (const [index, { phase, step }] of order.entries()) {
    const seen = new Set<string>();
    for (const { where, text } of renderedTexts(step)) {
      for (const name of placeholderNames(text)) {
        if (seen.has(name)) continue;
        seen.add(name);
        const why = explain(name, defined, step, order.slice(index + 1));
        if (why) problems.push(`${stepLabel(phase, step)}: {{${name}}} in ${where} ${why}`);
      }
    }
    for (const name of Object.keys(step.capture ?? {})) defined.add(name);
  }
  return problems;
}

/** Why a placeholder has no definition at this point of the flow, or undefined when it has one. */
function explain(
  name: string,
  defined: ReadonlySet<string>,
  step: Step,
  later: ReadonlyArray<{ phase: Phase; step: Step }>,
): string | undefined {
  if (name.startsWith('env.')) {
    return ENV_VAR.test(name.slice(4))
      ? undefined
      : 'does not name an environment variable: write {{env.NAME}}, NAME of letters, digits and _';
  }
  if (defined.has(name)) return undefined;
  if (step.capture && Object.hasOwn(step.capture, name))
    return 'is captured by this step itself, from its answer: it has no value when the request is sent';
  const capturer = later.find((s) => s.step.capture && Object.hasOwn(s.step.capture, name));
  if (capturer)
    return `is captured only by ${stepLabel(capturer.phase, capturer.step)}, which runs after this one`;
  const near = suggest(name, [...defined]);
  // `{{ENV.KEY}}` or `{{env_KEY}}`: an environment variable meant.
  const envLike = /^env[._-](.+)$/i.exec(name);
  const hint = near ? `; did you mean {{${near}}}?` : envLike ? `; did you mean {{env.${envLike[1]}}}?` : '';
  return `is undefined: it is no built-in ({{${BUILT_IN_PLACEHOLDERS.join('}}, {{')}}}) and no earlier step captures it${hint}`;
}
