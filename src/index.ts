// The public API: what a cutover.config.ts imports.

/** zod, as scenarios use it for response schemas, so a scenario file needs no dependency of its own. */
export { z } from 'zod';
export { defineConfig } from './config/define.js';
// For tooling around Cutover, such as its platform simulator (sim/), which uses only this public API: the
// resolved config, the `--fault` model, and reading Kubernetes manifests as the security suite reads them.
export type { ResolvedConfig } from './config/load.js';
export type {
  EnvironmentConfig,
  HealthSpec,
  ParsedConfig,
  ServiceConfig,
  SmokeSettings,
  UserConfig,
} from './config/schema.js';
export {
  BACKUP_DEFECTS,
  type BackupDefect,
  type Fault,
  type FaultSpec,
  MAX_FAULT_DELAY_MS,
  type MonitoringDefect,
  PAGE_DEFECTS,
  type PageDefect,
  type PostureDefect,
} from './core/faults.js';
export {
  type CriterionSpec,
  defineGate,
  type GateSpec,
  type MetricType,
  type SuccessCriterion,
} from './core/gates/define.js';
export { ManifestError, parseManifestObjects } from './core/security/manifests.js';
export {
  defineFlow,
  defineScenario,
  type Flow,
  type FlowSpec,
  type HttpMethod,
  type ParitySpec,
  type Scenario,
  type ScenarioSpec,
  type Step,
  type StepExpect,
  type StepRequest,
} from './suites/integration/define.js';
// Integration flows and performance (load) scenarios, each with its own name. The old names still work
// (a run notes them): `defineScenario` for a flow, `definePerformanceScenario` for a load scenario.
export {
  type Check,
  type CheckResponse,
  defineLoad,
  definePerformanceScenario,
  type ExecutorConfig,
  type FormBody,
  form,
  type IterationContext,
  type LoadSpec,
  type PerformanceScenario,
  type RequestSpec,
  type SetupStep,
  type Stage,
} from './suites/performance/define.js';
