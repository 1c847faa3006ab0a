// Workflow and agent services: n8n (webhook-triggered workflows) and the LangGraph API server.

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { seededUuid } from '../rng.js';
import { isoNow, json, type Route, type ServiceDefinition, withBody } from '../route.js';

export const n8n: ServiceDefinition = {
  health: { path: '/healthz', status: 200, contentType: 'application/json', json: { status: 'ok' } },
  routes: () => {
    // n8n numbers executions from 1 per instance, so ids are fresh but readable.
    let executions = 0;
    const webhook: Route['handler'] = (ctx) =>
      json({
        executionId: String(++executions),
        webhookId: ctx.params.id,
        receivedAt: isoNow(ctx),
        body: ctx.method === 'GET' ? Object.fromEntries(ctx.query) : (ctx.body ?? null),
      });
    return [
      { method: 'GET', path: '/healthz', handler: () => json({ status: 'ok' }) },
      { method: 'GET', path: '/healthz/readiness', handler: () => json({ status: 'ok' }) },
      { method: 'POST', path: '/webhook/:id', handler: webhook },
      { method: 'GET', path: '/webhook/:id', handler: webhook },
    ];
  },
};

const GRAPHS: ReadonlyArray<[graphId: string, name: string, description: string]> = [
  ['psra_origin_agent', 'PSRA origin assistant', 'Explains preferential-origin outcomes to customs staff.'],
  ['rentguy_support', 'RentGuy support', 'Answers questions about equipment availability and bookings.'],
  ['wpcs_content', 'WPCS content helper', 'Drafts and reviews posts for the managed WordPress sites.'],
];

const searchBody = z
  .object({
    graph_id: z.string().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .optional();

const threadBody = z.object({ metadata: z.record(z.string(), z.unknown()).optional() }).optional();

export const langgraph: ServiceDefinition = {
  health: { path: '/ok', status: 200, contentType: 'application/json', json: { ok: true } },
  routes: ({ rng }) => {
    // Assistants are deployed with the graphs, so they are the same records in both environments.
    const assistants = GRAPHS.map(([graph_id, name, description]) => ({
      assistant_id: seededUuid(rng),
      graph_id,
      name,
      description,
      config: {},
      metadata: { created_by: 'system' },
      version: 1,
      created_at: '2024-11-04T09:12:00+00:00',
      updated_at: '2024-11-04T09:12:00+00:00',
    }));
    const threads = new Map<string, unknown>();
    return [
      { method: 'GET', path: '/ok', handler: () => json({ ok: true }) },
      {
        method: 'GET',
        path: '/info',
        handler: () =>
          json({ version: '0.2.35', flags: { assistants: true, crons: true, langsmith: false } }),
      },
      {
        method: 'POST',
        path: '/assistants/search',
        handler: (ctx) =>
          withBody(searchBody, ctx, (q) => {
            const offset = q?.offset ?? 0;
            const hits = assistants.filter((a) => q?.graph_id === undefined || a.graph_id === q.graph_id);
            return json(hits.slice(offset, offset + (q?.limit ?? 10)));
          }),
      },
      {
        method: 'GET',
        path: '/assistants/:id',
        handler: (ctx) => {
          const found = assistants.find((a) => a.assistant_id === ctx.params.id);
          return found ? json(found) : json({ detail: 'Assistant not found' }, 404);
        },
      },
      {
        method: 'POST',
        path: '/threads',
        handler: (ctx) =>
          withBody(threadBody, ctx, (b) => {
            const at = isoNow(ctx);
            const thread = {
              thread_id: randomUUID(),
              created_at: at,
              updated_at: at,
              metadata: b?.metadata ?? {},
              status: 'idle',
              values: null,
            };
            threads.set(thread.thread_id, thread);
            return json(thread);
          }),
      },
      {
        method: 'GET',
        path: '/threads/:id',
        handler: (ctx) => {
          const thread = threads.get(ctx.params.id!);
          return thread ? json(thread) : json({ detail: 'Thread not found' }, 404);
        },
      },
    ];
  },
};
