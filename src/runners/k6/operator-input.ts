// What the k6-operator engine may hand a cluster, checked before anything is created there: names within
// Kubernetes' limits, and no host pin that only means something on this machine. Kept apart from
// operator.ts so a plan can be checked without loading the Kubernetes client.
import { createHash } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import { isInternalAddress, pinnedAddress } from '../http/pinning.js';
import type { EnginePlan } from '../load/engine-input.js';

/**
 * The k6-operator names a TestRun's Jobs `<name>-initializer`, `<name>-starter` and `<name>-<n>`, and
 * their pods add five more characters: a name stays within 52 characters so every one of them fits
 * Kubernetes' 63. A longer name is cut and ends in a hash of the whole, so two names that share their
 * first 52 characters (`trading-dashboard`'s warm-up and block 0 once did) stay two names.
 */
const NAME_LIMIT = 52;
export function dnsName(s: string): string {
  const plain = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (plain.length <= NAME_LIMIT) return plain;
  const hash = createHash('sha256').update(s).digest('hex').slice(0, 8);
  return `${plain.slice(0, NAME_LIMIT - 9).replace(/-+$/, '')}-${hash}`;
}

/**
 * Pins that cannot go to the cluster: a loopback or private address means the machine or network it was
 * written on, and inside a runner pod it would be the pod itself or the cluster's own network. The
 * cluster resolves its own names; the config's `resolve` entries serve the engines that run here.
 */
export function refuseInternalPins(plan: EnginePlan): void {
  for (const { module, targets } of plan.scenarios) {
    for (const [environment, t] of Object.entries(targets)) {
      const url = new URL(t.baseUrl);
      const pinned = pinnedAddress(t.pins, url.hostname, url.port || (url.protocol === 'https:' ? 443 : 80));
      if (pinned && isInternalAddress(pinned))
        throw new UserError(
          `--engine k6-operator: environments.${environment}.resolve pins ${url.hostname} to ${pinned}, a loopback or private address; in a runner pod it would mean the pod or the cluster's own network, not the host it means here (scenario ${module.scenario.name}). The cluster resolves its own names: remove the pin for an operator run, or pin a public address`,
        );
    }
  }
}
