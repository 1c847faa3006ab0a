// The integration suite's user-facing side: a flow — a typed description of an API flow that Cutover runs
// on the baseline (several times, for noise) and on every target, checking each response's expectations
// and comparing the responses field by field — and the config's `integration` section. Both are zod
// schemas, and the types are inferred from them: one description, which the loader also checks a user's
// file against, naming the file, the flow, the step and the field.
//
// A placeholder that nothing before its step defines is refused when the flow loads (exit 2): such a step
// could never be sent. One whose value is absent at run time leaves its step unsent, which is missing
// evidence for its service's gates, never a pass. Placeholders: core/steps/step.ts.
import { z } from 'zod';
import type { StepNoise } from '../../core/parity/learned-noise.js';
import { paritySpecSchema, stepSchema } from '../../core/steps/step.js';

export type { HttpMethod, ParitySpec, Step, StepExpect, StepRequest } from '../../core/steps/step.js';

export const flowSchema = z
  .object({
    $kind: z.literal('cutover.scenario').optional(),
    /** A short id, unique among flows: `rentguy-booking`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a short id such as rentguy-booking'),
    title: z.string().optional(),
    /** The service steps go to unless they name another. */
    service: z.string().min(1),
    /** The auth profile steps use unless they say otherwise. */
    auth: z.string().min(1).optional(),
    tags: z.array(z.string().min(1)).optional(),
    /** Parity rules for every step (a step's own rules add to these). */
    parity: paritySpecSchema.optional(),
    /** Run first; a failing setup skips the steps (teardown still runs). */
    setup: z.array(stepSchema).optional(),
    steps: z.array(stepSchema).min(1, 'a flow needs at least one step'),
    /** Always run, also after a failure: clean up what the flow created. Steps needing a value never captured are skipped. */
    teardown: z.array(stepSchema).optional(),
  })
  .superRefine((s, ctx) => {
    const names = [...(s.setup ?? []), ...s.steps, ...(s.teardown ?? [])].map((x) => x.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup)
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `two steps are named "${dup}"; step names must be unique`,
      });
  });

/** A flow as its file writes it. */
export type FlowSpec = z.input<typeof flowSchema>;
/** A flow declared with defineFlow (or the old defineScenario): marked, so a file may export helpers too. */
export type Flow = z.output<typeof flowSchema> & { readonly $kind: 'cutover.scenario' };
/** @deprecated The name of FlowSpec before flows were called flows. */
export type ScenarioSpec = FlowSpec;
/** @deprecated The name of Flow before flows were called flows. */
export type Scenario = Flow;

/**
 * The name a value was declared with when that name is deprecated: a registered symbol, so it survives
 * however many copies of this module a user's files load; the loader turns it into a note.
 */
export const DEPRECATED_NAME = Symbol.for('cutover.deprecatedName');

/** Declares an integration flow. Validation happens when Cutover loads it, with every problem named. */
export function defineFlow(spec: FlowSpec): Flow {
  return { ...spec, $kind: 'cutover.scenario' as const } as Flow;
}

/**
 * @deprecated Use `defineFlow` (integration flows) — or `defineLoad` for a performance scenario. Still
 * works; the run notes the old name once per file.
 */
export function defineScenario(spec: FlowSpec): Flow {
  const flow = defineFlow(spec);
  Object.defineProperty(flow, DEPRECATED_NAME, { value: 'defineScenario', enumerable: false });
  return flow;
}

export function isFlow(value: unknown): value is Flow {
  return (
    typeof value === 'object' && value !== null && (value as { $kind?: unknown }).$kind === 'cutover.scenario'
  );
}

const MIB = 1024 * 1024;

/** The config's `integration` section. */
export const integrationSchema = z
  .strictObject({
    /** Scenario files (TypeScript or JavaScript, relative to the config) exporting `defineScenario(...)` values. */
    scenarios: z.array(z.string().min(1)).default([]),
    /**
     * Also run the built-in Sevensa platform scenarios whose services this config has. Off unless asked
     * for: another platform's `keycloak` is not Sevensa's realm. @default false
     */
    builtin: z.boolean().default(false),
    /** Run only scenarios carrying at least one of these tags. */
    tags: z.array(z.string().min(1)).optional(),
    /** Deadline of every request, redirects included. @default 10000 */
    timeoutMs: z.number().int().min(50).max(300_000).default(10_000),
    /** Retries of idempotent requests after a network error or 502/503/504; POST and PATCH are never retried. @default 0 */
    retries: z.number().int().min(0).max(5).default(0),
    /** Largest response body read; more is a recorded failure. @default 10 MiB */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * MIB)
      .default(10 * MIB),
    /** Redirects followed (only to hosts in the config). @default 5 */
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** Scenarios run at once. @default 4 */
    concurrency: z.number().int().min(1).max(32).default(4),
    /**
     * Times each scenario runs on the baseline: once beside the targets, once straight after (fresh ids
     * and clocks), and each further time `readSpacingMs` later, so values that move once per cycle (a
     * scrape duration, a rule's evaluation time) are seen to move. @default 3
     */
    baselineReads: z.number().int().min(2).max(5).default(3),
    /** Time between the baseline's first read of a scenario and its third (and third and fourth …). @default 1000 */
    readSpacingMs: z.number().int().min(0).max(120_000).default(1000),
  })
  .default({
    scenarios: [],
    builtin: false,
    timeoutMs: 10_000,
    retries: 0,
    maxBodyBytes: 10 * MIB,
    maxRedirects: 5,
    concurrency: 4,
    baselineReads: 3,
    readSpacingMs: 1000,
  });

export type IntegrationSettings = z.output<typeof integrationSchema>;

/** What a command hands the integration suite beyond the config. */
export interface IntegrationOptions {
  /** Values that win over the process environment (the demo's simulated realm credentials). */
  env?: Record<string, string>;
  /** Noise earlier runs learned, from a recorded baseline (`cutover run --noise-from NAME`). */
  learnedNoise?: readonly StepNoise[];
  /** The recorded baseline it came from, for the log line. */
  learnedFrom?: string;
}
