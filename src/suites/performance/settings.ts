// The config's `performance` section — hard safety limits for load, the A/B comparison mode, block and
// warm-up lengths, the k6-operator's namespace and image, extra scenario files — and what a command hands
// the performance suite beyond it. The limits are the ceiling no flag can lift; only the config (reviewed,
// committed) can raise them.
import { z } from 'zod';
import type { Engine } from '../../runners/load/engine-input.js';
import type { SeriesPoint } from '../../runners/load/series.js';

/** The k6 runner image the k6-operator uses unless the config names another: the release Cutover is checked against. */
export const K6_IMAGE = 'grafana/k6:2.2.0';

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const duration = z.string().regex(DURATION, 'expected a k6 duration such as 30s, 1m30s or 500ms');

export const DEFAULT_LIMITS = {
  maxRate: 1000,
  maxDuration: '30m',
  maxRequests: 1_000_000,
  maxVUs: 1000,
};

export const performanceLimitsSchema = z
  .strictObject({
    /** Highest arrival rate of any scenario, in iterations per second. @default 1000 */
    maxRate: z.number().positive().max(1_000_000).default(DEFAULT_LIMITS.maxRate),
    /** Longest load per environment (the scenarios' longest timeline). @default "30m" */
    maxDuration: duration.default(DEFAULT_LIMITS.maxDuration),
    /** Most requests one run may send, over every scenario and environment. @default 1000000 */
    maxRequests: z.number().int().positive().max(2_000_000_000).default(DEFAULT_LIMITS.maxRequests),
    /** Most concurrent VUs (maxVUs, or VUs of the closed executors) of any scenario. @default 1000 */
    maxVUs: z.number().int().positive().max(100_000).default(DEFAULT_LIMITS.maxVUs),
  })
  .default(DEFAULT_LIMITS);

export const performanceSchema = z
  .strictObject({
    limits: performanceLimitsSchema,
    /**
     * `alternating` runs baseline and target in short blocks (A B A B …) so a drifting load machine
     * affects both alike; `sequential` runs all of baseline, then all of target; `interleaved` loads both
     * at once, their requests interleaved in time. @default "alternating"
     */
    mode: z.enum(['alternating', 'sequential', 'interleaved']).default('alternating'),
    /** Length of one A/B block. @default "10s" */
    block: duration.default('10s'),
    /** Unrecorded load per environment before measuring (connections, JIT, caches warm on both sides). @default "5s" */
    warmup: z.union([z.literal('0'), duration]).default('5s'),
    /** Per-request timeout in milliseconds. @default 10000 */
    timeoutMs: z.number().int().min(10).max(600_000).default(10_000),
    /** Load threads; `auto` uses one per ~3000 req/s of peak rate, up to the machine's cores. @default "auto" */
    threads: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).default('auto'),
    /** Built-in scenarios to run (by name); default all. */
    scenarios: z.array(z.string().min(1)).optional(),
    /** Where `--engine k6-operator` creates its TestRuns (in the target cluster). */
    operator: z
      .strictObject({
        /** @default the target environment's first namespace */
        namespace: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a namespace name')
          .optional(),
        /**
         * Runner image, pinned: `:latest` would make two runs of the same plan use different k6 versions
         * (Cutover's own posture check rates `:latest` high). @default "grafana/k6:2.2.0"
         */
        image: z.string().min(1).default(K6_IMAGE),
      })
      .optional(),
    /** Extra scenario modules (defineLoad), relative to the config file. */
    scenarioFiles: z.array(z.string().min(1)).default([]),
  })
  .default({
    limits: DEFAULT_LIMITS,
    mode: 'alternating',
    block: '10s',
    warmup: '5s',
    timeoutMs: 10_000,
    threads: 'auto',
    scenarioFiles: [],
  });

export type PerformanceSettings = z.output<typeof performanceSchema>;
export type PerformanceLimits = z.output<typeof performanceLimitsSchema>;

export type Mode = 'alternating' | 'sequential' | 'interleaved';

/** What `cutover perf` (or the demo) asks of the performance suite; the config supplies the rest. */
export interface PerformanceOptions {
  scenarios?: string[];
  scenarioFiles?: string[];
  engine?: Engine;
  mode?: Mode;
  /** Compresses every scenario's timeline to this length per environment (rates and VUs unchanged). */
  duration?: string;
  block?: string;
  /** Multiplies every arrival rate and VU count (a harness option, not k6's); limits apply after it. */
  scale?: number;
  /** Unrecorded load on each environment before the first block, so neither side is measured cold. */
  warmup?: string;
  threads?: number | 'auto';
  parallelism?: number;
  /** Values for the scenarios' named variables that win over the process environment (the demo's sim secret). */
  env?: Record<string, string>;
  /** A team's own k6 scripts to run as written (`--k6-script`), with the k6 engine or the k6-operator. */
  k6Scripts?: string[];
  /** The service whose URL the scripts get as CUTOVER_BASE_URL. @default the config's only service */
  k6Service?: string;
  /** Variables of the process environment handed to the scripts' __ENV (names; values never shown). */
  k6Env?: string[];
  /** k6 executable for --engine k6. @default "k6" on PATH */
  k6Path?: string;
  /** Each second of the load as it is measured (`cutover perf --series`). */
  onSeries?: (point: SeriesPoint) => void;
}
