// `--engine k6-operator`: placeholder until the distributed runner is built on the Kubernetes stand-in.
import { UserError } from '../../core/errors.js';
import type { BlockRunner } from '../load/compare.js';
import type { LoadPlan } from '../load/plan.js';

export async function operatorEngine(
  _plan: LoadPlan,
  _o: {
    env: Readonly<Record<string, string | undefined>>;
    signal?: AbortSignal;
    log: (line: string) => void;
  },
): Promise<{ runBlock: BlockRunner; close: () => Promise<void> }> {
  throw new UserError('--engine k6-operator is not available yet');
}
