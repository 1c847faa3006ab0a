import { planSmoke } from '../../engine/plan.js';
import type { Suite } from '../../engine/suite.js';
import { runSmoke, SMOKE_CHECKS } from './run.js';

export const smokeSuite: Suite = {
  id: 'smoke',
  title: 'Smoke: every service reachable and healthy',
  byDefault: true,
  plannedChecks: (ctx) =>
    planSmoke(ctx.config, { environments: ctx.environments, services: ctx.services }).length *
    SMOKE_CHECKS.length,
  run: async (ctx) => {
    const targets = planSmoke(ctx.config, { environments: ctx.environments, services: ctx.services });
    await runSmoke(targets, ctx.config.smoke, {
      now: ctx.now,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onCheck: (check) => ctx.check(check),
    });
  },
};
