// Grafana and Loki: health, and for Loki logs pushed and read back by label, the usual logging smoke
// test. Shapes follow shared/reference/monitoring.md §5.

import { z } from 'zod';
import { json, type ServiceDefinition, text, withBody } from '../route.js';
import { fingerprint, type Labels, labelsMatch, parseEqualityMatchers, success } from './labels.js';

export const grafana: ServiceDefinition = {
  health: {
    path: '/api/health',
    status: 200,
    contentType: 'application/json',
    json: { database: 'ok', version: '11.2.0' },
  },
  routes: () => [
    {
      method: 'GET',
      path: '/api/health',
      handler: () =>
        json({ commit: '2a88694fd3ced0335bf3726cc5d0adc2d1858855', database: 'ok', version: '11.2.0' }),
    },
  ],
};

const lokiPush = z.object({
  streams: z.array(
    z.object({
      stream: z.record(z.string(), z.string()),
      values: z.array(z.tuple([z.string(), z.string()])),
    }),
  ),
});

export const loki: ServiceDefinition = {
  health: { path: '/ready', status: 200, contentType: 'text/plain', contains: 'ready' },
  routes: () => {
    const streams = new Map<string, { stream: Labels; values: Array<[string, string]> }>();
    return [
      { method: 'GET', path: '/ready', handler: () => text('ready\n') },
      {
        method: 'GET',
        path: '/loki/api/v1/status/buildinfo',
        handler: () =>
          json({ version: '3.1.1', revision: '0ab6dbd1', branch: 'HEAD', goVersion: 'go1.22.5' }),
      },
      {
        method: 'GET',
        path: '/loki/api/v1/labels',
        handler: () =>
          success([...new Set([...streams.values()].flatMap((s) => Object.keys(s.stream)))].sort()),
      },
      {
        method: 'POST',
        path: '/loki/api/v1/push',
        handler: (ctx) =>
          withBody(lokiPush, ctx, (body) => {
            for (const s of body.streams) {
              const key = fingerprint(s.stream);
              const entry = streams.get(key) ?? { stream: s.stream, values: [] };
              entry.values.push(...s.values);
              streams.set(key, entry);
            }
            return { status: 204 };
          }),
      },
      {
        method: 'GET',
        path: '/loki/api/v1/query_range',
        handler: (ctx) => {
          // Loki reports query errors as plain text, not in the Prometheus envelope.
          const want = parseEqualityMatchers(ctx.query.get('query') ?? '');
          if (!want || Object.keys(want).length === 0)
            return text('parse error: queries require at least one equality matcher\n', 400);
          const result = [...streams.values()].filter((s) => labelsMatch(s.stream, want));
          return success({ resultType: 'streams', result, stats: {} });
        },
      },
    ];
  },
};
