// A recorded baseline (`baselines/NAME.json`, schema `cutover.baseline/v1`): what later gates need to
// judge the target after the Compose stack is gone — latency histograms, rates and counters, the
// response fingerprints of the integration suite, the scenario set and load profile, the tool and config
// version. Compact (histograms stay compressed) and free of secrets, so it can be committed.
import { z } from 'zod';
import { evidenceSchema } from '../core/evidence.js';
import { figure } from '../core/figure.js';
import { checkResultSchema } from '../core/model.js';
import { trafficBaselineSchema } from '../core/monitoring/traffic-baseline.js';
import { type StepNoise, stepNoiseSchema } from '../core/parity/learned-noise.js';

export const BASELINE_SCHEMA = 'cutover.baseline/v1';

/** Noise learned for one integration step: paths such as `data.activeTargets[*].lastScrapeDuration`. */
export { type StepNoise, stepNoiseSchema };

export const baselineSchema = z.object({
  schema: z.literal(BASELINE_SCHEMA),
  name: z.string(),
  recordedAt: z.string(),
  fromRun: z.string(),
  runStartedAt: z.string(),
  tool: z.object({
    name: z.string(),
    version: z.string(),
    node: z.string(),
    /** The browser of the run it came from, when that run ran the browser suite. */
    browser: z.string().optional(),
  }),
  config: z.object({ project: z.string(), file: z.string() }),
  /** The environment the evidence was recorded from (the Compose baseline). */
  environment: z.string(),
  /** Scenario names the evidence covers (performance and integration). */
  scenarios: z.array(z.string()),
  /** Load profile as the suites reported it (coverage counts per scope), for comparability. */
  profile: z.record(z.string(), z.record(z.string(), figure)),
  /** Metric evidence of the baseline environment (trend histograms, rates, counters). */
  evidence: z.array(evidenceSchema),
  /** Integration check results of the baseline, with their response fingerprints in `data`. */
  checks: z.array(checkResultSchema),
  /**
   * Integration noise learned so far, per step: what the baseline's own answers differed in (and, from
   * a run recorded with --aa, what two copies of the same system differed in). Later runs read it with
   * `cutover run --noise-from NAME`. Absent in baselines recorded before it existed.
   */
  noise: z.array(stepNoiseSchema).default([]),
  /**
   * The Compose side's traffic as its Prometheus saw it, by hour of the week (`--traffic 7d`), the
   * reference of `cutover watch --baseline NAME`. Absent unless recorded.
   */
  traffic: trafficBaselineSchema.optional(),
});

export type Baseline = z.infer<typeof baselineSchema>;
