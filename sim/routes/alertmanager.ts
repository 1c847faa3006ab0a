// Alertmanager v2: health, status, and alerts in and out, so a check can post a test alert and find it
// again. Shapes follow shared/reference/monitoring.md §4.

import { z } from 'zod';
import { iso, json, type ServiceDefinition, text, withBody } from '../route.js';
import { fingerprint, type Labels, labelsMatch, parseEqualityMatchers } from './labels.js';

const postableAlerts = z.array(
  z.object({
    labels: z
      .record(z.string(), z.string())
      .refine((l) => Object.keys(l).length > 0, 'at least one label pair required'),
    annotations: z.record(z.string(), z.string()).optional(),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
  }),
);

interface HeldAlert {
  labels: Labels;
  annotations: Record<string, string>;
  startsAt: string;
  /** Unset until the sender resolves it; Alertmanager then reports now + resolve_timeout. */
  endsAt?: string;
  updatedAt: string;
}

export const alertmanager: ServiceDefinition = {
  health: { path: '/-/ready', status: 200, contentType: 'text/plain', contains: 'OK' },
  routes: ({ startedAtMs }) => {
    // Keyed by fingerprint, so a re-sent alert updates the one already held instead of duplicating it.
    const alerts = new Map<string, HeldAlert>();
    const watchdog = { alertname: 'Watchdog', severity: 'none' };
    alerts.set(fingerprint(watchdog), {
      labels: watchdog,
      annotations: {
        summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
      },
      startsAt: iso(startedAtMs),
      updatedAt: iso(startedAtMs),
    });
    const ok = () => text('OK');
    return [
      { method: 'GET', path: '/-/ready', handler: ok },
      { method: 'GET', path: '/-/healthy', handler: ok },
      {
        method: 'GET',
        path: '/api/v2/status',
        handler: () =>
          json({
            cluster: {
              name: '01J8ZK3W6Q2Y5R9B7T4M1N0PXA',
              status: 'ready',
              peers: [{ name: '01J8ZK3W6Q2Y5R9B7T4M1N0PXA', address: '10.0.0.12:9094' }],
            },
            config: {
              original:
                'global:\n  resolve_timeout: 5m\nroute:\n  receiver: default\nreceivers:\n- name: default\n',
            },
            uptime: iso(startedAtMs),
            versionInfo: {
              version: '0.27.0',
              revision: '0aa3c2aad14cff039931923ab16b26b7481783b5',
              branch: 'HEAD',
              buildUser: 'root@22cd11f671e9',
              buildDate: '20240228-11:51:20',
              goVersion: 'go1.21.7',
            },
          }),
      },
      { method: 'GET', path: '/api/v2/receivers', handler: () => json([{ name: 'default' }]) },
      {
        method: 'GET',
        path: '/api/v2/alerts',
        handler: (ctx) => {
          const filters = ctx.query.getAll('filter').map(parseEqualityMatchers);
          if (filters.includes(undefined)) return json({ code: 400, message: 'bad matcher format' }, 400);
          const now = ctx.now();
          // Resolved alerts drop out of the v2 list, as in Alertmanager itself.
          const out = [...alerts.entries()]
            .filter(([, a]) => a.endsAt === undefined || Date.parse(a.endsAt) > now)
            .filter(([, a]) => filters.every((f) => labelsMatch(a.labels, f!)))
            .map(([fingerprint, a]) => ({
              ...a,
              endsAt: a.endsAt ?? iso(now + 5 * 60_000),
              fingerprint,
              receivers: [{ name: 'default' }],
              status: { state: 'active', silencedBy: [], inhibitedBy: [] },
              generatorURL: '',
            }));
          return json(out);
        },
      },
      {
        method: 'POST',
        path: '/api/v2/alerts',
        handler: (ctx) =>
          withBody(postableAlerts, ctx, (posted) => {
            for (const a of posted) {
              const key = fingerprint(a.labels);
              const startsAt = a.startsAt ?? alerts.get(key)?.startsAt ?? iso(ctx.now());
              alerts.set(key, {
                labels: a.labels,
                annotations: a.annotations ?? {},
                startsAt,
                endsAt: a.endsAt,
                updatedAt: iso(ctx.now()),
              });
            }
            return { status: 200 };
          }),
      },
    ];
  },
};
