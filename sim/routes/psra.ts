// PSRA: preferential-origin assessments. The API accepts an assessment and reports it back with a result;
// the origin engine evaluates synchronously. With a database (sim/db.ts) assessments are rows of PSRA's
// `assessments` table (stores/psra.ts). Both compute the result from the input alone, so the same
// request gives the same verdict in every environment and only ids and timestamps differ.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoNow, json, notFound, withBody } from '../route.js';
import { type AssessmentInput, memoryPsra, type OriginResult, postgresPsra } from '../stores/psra.js';
import { storeOf } from '../stores/select.js';
import { appService, listed, pageLimit } from './common.js';

export type { OriginResult } from '../stores/psra.js';

const EU = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);
/** The share of the ex-works price that must originate in the EU for preference (a common PSR threshold). */
const ORIGINATING_THRESHOLD_PCT = 60;

const assessmentBody = z.object({
  product: z.string().min(1),
  hsCode: z.string().regex(/^\d{4,10}$/, 'expected 4 to 10 digits'),
  components: z
    .array(
      z.object({
        name: z.string().min(1),
        originCountry: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code'),
        valuePct: z.number().min(0).max(100),
      }),
    )
    .min(1),
});

/** The origin verdict: where most of the value comes from, and whether enough of it is EU-originating. */
export function evaluateOrigin(input: AssessmentInput): OriginResult {
  const byCountry = new Map<string, number>();
  for (const c of input.components)
    byCountry.set(c.originCountry, (byCountry.get(c.originCountry) ?? 0) + c.valuePct);
  // Ties go to the alphabetically first country, so the verdict never depends on component order.
  const [originCountry] = [...byCountry.entries()].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  )[0]!;
  const total = [...byCountry.values()].reduce((a, b) => a + b, 0);
  const euShare = [...byCountry.entries()].filter(([c]) => EU.has(c)).reduce((a, [, v]) => a + v, 0);
  const sharePct = total === 0 ? 0 : Math.round((euShare / total) * 1000) / 10;
  const chapter = input.hsCode.slice(0, 2);
  return {
    originCountry,
    preferential: EU.has(originCountry) && sharePct >= ORIGINATING_THRESHOLD_PCT,
    rule: `HS chapter ${chapter}: change of tariff heading (CTH); non-originating materials at most ${100 - ORIGINATING_THRESHOLD_PCT}% of ex-works price`,
    originatingSharePct: sharePct,
    // Shares that do not add up to 100% mean the bill of materials is incomplete: a weaker verdict.
    confidence: Math.abs(total - 100) < 0.01 ? 0.93 : 0.71,
  };
}

export const psraApi = appService('psra-api', '1.8.0', ({ database }) => {
  const store = storeOf(database, memoryPsra, postgresPsra);
  return [
    {
      method: 'POST',
      path: '/api/assessments',
      handler: (ctx) =>
        withBody(assessmentBody, ctx, async (input) => {
          const a = await (await store()).create(input, isoNow(ctx));
          const self = `/api/assessments/${a.id}`;
          return json({ id: a.id, status: a.status, createdAt: a.createdAt, links: { self } }, 202, {
            location: self,
          });
        }),
    },
    {
      method: 'GET',
      path: '/api/assessments',
      handler: async (ctx) => json(listed(ctx, 'items', await (await store()).list(pageLimit(ctx)))),
    },
    {
      method: 'GET',
      path: '/api/assessments/:id',
      handler: async (ctx) => {
        const s = await store();
        const a = await s.get(ctx.params.id!);
        if (!a) return notFound('assessment');
        // The real service finishes in the background within moments; here the first read completes it.
        if (a.status === 'pending' && a.components)
          return json(await s.complete(a.id, evaluateOrigin(a as AssessmentInput), isoNow(ctx)));
        return json(a);
      },
    },
  ];
});

interface Run {
  runId: string;
  input: AssessmentInput;
  result: OriginResult;
  engineVersion: string;
  evaluatedAt: string;
}

const ENGINE_VERSION = '3.2.0';

export const psraOriginEngine = appService('psra-origin-engine', ENGINE_VERSION, () => {
  const runs = new Map<string, Run>();
  return [
    {
      method: 'POST',
      path: '/v1/origin/evaluate',
      handler: (ctx) =>
        withBody(assessmentBody, ctx, (input) => {
          const run: Run = {
            runId: randomUUID(),
            input,
            result: evaluateOrigin(input),
            engineVersion: ENGINE_VERSION,
            evaluatedAt: isoNow(ctx),
          };
          runs.set(run.runId, run);
          return json(run);
        }),
    },
    {
      method: 'GET',
      path: '/v1/origin/runs/:id',
      handler: (ctx) => {
        const run = runs.get(ctx.params.id!);
        return run ? json(run) : notFound('run');
      },
    },
  ];
});
