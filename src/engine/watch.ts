// The watch as a caller other than the CLI command runs it (`cutover demo` after its suites): options in,
// run record and decision out. The post-cutover suite does the watching (src/suites/post-cutover/run.ts);
// this runs it through execute() — recorded as it goes, gates evaluated — and reads the decision from
// the record's `watch` checks, so a record read back later decides the same.
import { decideWatch, type WatchDecision } from '../suites/post-cutover/breach.js';
import type { WatchOptions } from '../suites/post-cutover/define.js';
import type { EnvironmentSelection } from '../suites/selection.js';
import { type ExecuteOptions, type ExecuteResult, execute } from './execute.js';

export interface WatchRunOptions extends Omit<ExecuteOptions, 'selection' | 'suiteOptions' | 'command'> {
  command?: string;
  selection?: EnvironmentSelection;
  watch?: WatchOptions;
}

export interface WatchRunResult extends ExecuteResult {
  decision: WatchDecision;
  reason: string;
}

export async function runWatch(options: WatchRunOptions): Promise<WatchRunResult> {
  const { watch, selection, command, ...rest } = options;
  const result = await execute({
    ...rest,
    command: command ?? 'watch',
    selection: { ...selection, suites: ['post-cutover'] },
    suiteOptions: { watch: watch ?? {} },
  });
  return { ...result, ...decideWatch(result.record.checks) };
}
