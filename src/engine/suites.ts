// The registry of suites a run can execute, in the order they run. A new suite adds one line here.

import { securitySuite } from '../../suites/security/suite.js';
import { UserError } from '../core/errors.js';
import { integrationSuite } from '../runners/integration/suite.js';
import { performanceSuite } from '../runners/load/suite.js';
import { smokeSuite } from '../runners/smoke/suite.js';
import type { Suite } from './suite.js';

export const SUITES: readonly Suite[] = [smokeSuite, integrationSuite, performanceSuite, securitySuite];

export function selectSuites(ids?: readonly string[]): Suite[] {
  if (!ids || ids.length === 0) return SUITES.filter((s) => s.byDefault);
  const known = SUITES.map((s) => s.id);
  for (const id of ids) {
    if (!known.includes(id)) throw new UserError(`--suite ${id}: unknown suite; known: ${known.join(', ')}`);
  }
  return SUITES.filter((s) => ids.includes(s.id));
}
