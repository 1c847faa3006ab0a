// The public API: what a cutover.config.ts imports.

/** zod, as scenarios use it for response schemas, so a scenario file needs no dependency of its own. */
export { z } from 'zod';
export { defineConfig } from './config/define.js';
export type {
  EnvironmentConfig,
  HealthSpec,
  ParsedConfig,
  ServiceConfig,
  SmokeSettings,
  UserConfig,
} from './config/schema.js';
export {
  type CriterionSpec,
  defineGate,
  type GateSpec,
  type MetricType,
  type SuccessCriterion,
} from './core/gates/define.js';
// Performance (load) scenarios have their own name, so `defineScenario` above stays the integration one.
export {
  type CheckResponse,
  definePerformanceScenario,
  type ExecutorConfig,
  type FormBody,
  form,
  type IterationContext,
  type PerformanceScenario,
  type RequestSpec,
  type SetupStep,
  type Stage,
} from './core/load/scenario.js';
export {
  defineScenario,
  type HttpMethod,
  type ParitySpec,
  type Scenario,
  type ScenarioSpec,
  type Step,
  type StepExpect,
  type StepRequest,
} from './suites/integration/define.js';
