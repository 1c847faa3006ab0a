// The registry of suites a run can execute, in the order they run. A new suite adds one entry here.
// An entry names the suite and whether it runs by default; its module — and what that imports:
// openid-client and undici (integration), the load engine (performance), client-node and yaml
// (security) — is imported only by a run that selects it. Listing suites (demo's defaults, --suite
// validation, help) costs nothing, and `cutover perf` does not pay for the suites it does not run.
import { UserError } from '../core/errors.js';
import type { Suite } from '../suites/suite.js';

export interface SuiteEntry {
  id: string;
  /** Part of `cutover run` and `cutover demo` unless --suite narrows the selection. */
  byDefault: boolean;
  load: () => Promise<Suite>;
}

export const SUITES: readonly SuiteEntry[] = [
  { id: 'smoke', byDefault: true, load: async () => (await import('../suites/smoke/run.js')).smokeSuite },
  {
    // PostgreSQL data parity between each database's baseline and target (`cutover data diff`). It runs
    // before any suite that writes (integration flows, load): it compares the migrated copy, not the
    // verification traffic's own rows, which differ between the sides in ids, times and number.
    id: 'data-parity',
    byDefault: false,
    load: async () => (await import('../suites/data/run.js')).dataSuite,
  },
  {
    id: 'integration',
    byDefault: true,
    load: async () => (await import('../suites/integration/run.js')).integrationSuite,
  },
  {
    id: 'performance',
    byDefault: false,
    load: async () => (await import('../suites/performance/run.js')).performanceSuite,
  },
  {
    id: 'security',
    byDefault: true,
    load: async () => (await import('../suites/security/run.js')).securitySuite,
  },
  {
    id: 'monitoring',
    byDefault: true,
    load: async () => (await import('../suites/monitoring/run.js')).monitoringSuite,
  },
  {
    id: 'backup',
    byDefault: true,
    load: async () => (await import('../suites/backup/run.js')).backupSuite,
  },
  {
    // `cutover watch` (and the demo's short watch): post-cutover traffic against the baseline.
    id: 'post-cutover',
    byDefault: false,
    load: async () => (await import('../suites/post-cutover/run.js')).postCutoverSuite,
  },
  {
    // Playwright specs on both environments, page parity across them (opt-in: Chromium takes seconds).
    id: 'browser',
    byDefault: false,
    load: async () => (await import('../suites/browser/run.js')).browserSuite,
  },
];

/** The suites `--suite` names, or the default ones; `registry` is SUITES unless a caller adds its own. */
export function selectSuites(
  ids?: readonly string[],
  registry: readonly SuiteEntry[] = SUITES,
): SuiteEntry[] {
  if (!ids || ids.length === 0) return registry.filter((s) => s.byDefault);
  const known = registry.map((s) => s.id);
  for (const id of ids) {
    if (!known.includes(id)) throw new UserError(`--suite ${id}: unknown suite; known: ${known.join(', ')}`);
  }
  return registry.filter((s) => ids.includes(s.id));
}

/** The selected suites' modules, imported now that a run needs them. */
export async function loadSuites(entries: readonly SuiteEntry[]): Promise<Suite[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const suite = await entry.load();
      // The entry and its module both say what the suite is; a mismatch is a bug in this file.
      if (suite.id !== entry.id || suite.byDefault !== entry.byDefault)
        throw new Error(
          `suite registry: entry ${entry.id} loads suite ${suite.id} (byDefault ${suite.byDefault})`,
        );
      return suite;
    }),
  );
}
