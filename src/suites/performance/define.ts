// The performance suite's user-facing DSL: a load scenario, declared with `defineLoad`. Its schema is
// core/load/schema.ts (shared with the engines, and the loader checks a file against it); its config
// section is settings.ts. This module is what `import … from 'cutover'` means inside a k6 script (the
// bundler aliases the package to it, runners/k6/build.ts), so it has no value import beyond the pure
// request helpers: no zod, nothing that needs Node.
import type { PerformanceScenario } from '../../core/load/schema.js';

export { form } from '../../core/load/scenario.js';
export type {
  Check,
  CheckResponse,
  ExecutorConfig,
  FormBody,
  IterationContext,
  PerformanceScenario,
  RequestSpec,
  SetupStep,
  Stage,
} from '../../core/load/schema.js';

/** A load scenario as its file writes it. */
export type LoadSpec = PerformanceScenario;

/**
 * The name a value was declared with when that name is deprecated (integration/define.ts has the same
 * registered symbol): the loader turns it into a note.
 */
const DEPRECATED_NAME = Symbol.for('cutover.deprecatedName');

/**
 * Declares a performance (load) scenario; `import { defineLoad } from 'cutover'`. Returned as is: Cutover
 * checks it when it loads the file, naming every problem.
 */
export function defineLoad(s: LoadSpec): LoadSpec {
  return s;
}

/**
 * @deprecated Use `defineLoad`. Still works; the run notes the old name once per file.
 */
export function definePerformanceScenario(s: LoadSpec): LoadSpec {
  Object.defineProperty(s, DEPRECATED_NAME, { value: 'definePerformanceScenario', enumerable: false });
  return s;
}
