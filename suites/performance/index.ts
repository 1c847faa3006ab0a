// The built-in performance scenarios. Each lives in its own module so that a worker thread (embedded
// engine) or esbuild (`cutover k6 build`) can load exactly one by file.
import { fileURLToPath } from 'node:url';
import type { PerformanceScenario } from '../../src/core/load/scenario.js';
import keycloakToken from './keycloak-token.js';
import psra from './psra.js';
import rentguy from './rentguy.js';
import tradingDashboard from './trading-dashboard.js';
import wpcs from './wpcs.js';

export interface ScenarioModule {
  scenario: PerformanceScenario;
  /** The module's file, without extension: the loader picks `.js` (built) or `.ts` (source). */
  file: string;
}

const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

export const BUILT_IN_SCENARIOS: readonly ScenarioModule[] = [
  { scenario: rentguy, file: here('rentguy') },
  { scenario: psra, file: here('psra') },
  { scenario: wpcs, file: here('wpcs') },
  { scenario: keycloakToken, file: here('keycloak-token') },
  { scenario: tradingDashboard, file: here('trading-dashboard') },
];
