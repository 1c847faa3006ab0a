// The data suite: for every configured database, the baseline and target compared by diffDatabases
// (src/runners/postgres/): schema, exact counts, checksums and bisection down to rows, read-only and in one
// snapshot per side. Results become `data-parity` checks and coverage (evidence.ts); a database that cannot
// be reached is a skipped check with its reason, so its gate is INCONCLUSIVE, never GO.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diffDatabases } from '../../runners/postgres/index.js';
import type { Suite } from '../suite.js';
import { type CheckDraft, DATA_PARITY_SUITE, databaseChecks, dataCoverage } from './evidence.js';
import { type DataPlan, describeDataPlan, diffLimits, planData } from './plan.js';

export const dataSuite: Suite<DataPlan> = {
  id: 'data-parity',
  title: 'Data parity',
  byDefault: false,
  async plan(ctx) {
    const base = ctx.config.rootDir;
    return planData({
      settings: ctx.config.data,
      environments: ctx.environments,
      env: ctx.env,
      ...(ctx.options.data ? { options: ctx.options.data } : {}),
      readCa: (file) => readFileSync(resolve(base, file), 'utf8'),
    });
  },
  plannedChecks: (plan) => plan.databases.length,
  async run(ctx, plan) {
    const all: CheckDraft[] = [];
    for (const line of describeDataPlan(plan)) ctx.log(`data: ${line}`);
    const emit = (draft: CheckDraft) => {
      all.push(draft);
      ctx.check({
        suite: DATA_PARITY_SUITE,
        environment: plan.target,
        ...draft,
        at: ctx.now().toISOString(),
      });
    };
    for (const db of plan.databases) {
      if (ctx.signal?.aborted) break;
      if (db.problem || !db.baseline || !db.target) {
        emit({
          service: db.service,
          check: `${db.id} connection`,
          status: 'skip',
          reason: db.problem ?? 'no connection',
        });
        continue;
      }
      const diff = await diffDatabases(db.baseline, db.target, {
        ...diffLimits(db, plan.settings),
        onProgress: (p) =>
          ctx.options.data?.onProgress?.(
            `${db.id}: ${p.done}/${p.total} tables (${p.table} ${p.status ?? ''})`,
          ),
      });
      for (const draft of databaseChecks(db.id, db.service, diff)) emit(draft);
    }
    ctx.evidence(dataCoverage(plan.target, all, ctx.now().toISOString()));
  },
};
