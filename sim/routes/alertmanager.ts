// Alertmanager v2: health, status, and alerts in and out, so a check can post a test alert and find it
// again. Shapes follow shared/reference/monitoring.md §4.

import { z } from 'zod';
import { iso, json, type RouteResponse, type ServiceDefinition, text } from '../route.js';
import { fingerprint, type Labels, matcherError, matcherMatches, parseMatcher } from './labels.js';

const postableAlerts = z.array(
  z.object({
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()).optional(),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
  }),
);

/** How long an alert posted without endsAt stays active unless re-sent (Alertmanager's resolve_timeout). */
const RESOLVE_TIMEOUT_MS = 5 * 60_000;

/**
 * Alertmanager's answers to a body it refuses, in its formats: the OpenAPI layer's `{code, message}` for a
 * schema violation (422, code 602 for a missing field), and a bare JSON string for a rule of its own.
 */
function refuse(body: unknown): RouteResponse | undefined {
  if (!Array.isArray(body))
    return json({ code: 400, message: 'parsing alerts body failed: expected an array' }, 400);
  const missing = body.findIndex((a) => !a || typeof a !== 'object' || !('labels' in a));
  if (missing >= 0) return json({ code: 602, message: `${missing}.labels in body is required` }, 422);
  const parsed = postableAlerts.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return json({ code: 602, message: `${issue.path.join('.')} in body ${issue.message}` }, 422);
  }
  if (parsed.data.some((a) => Object.keys(a.labels).length === 0))
    return json('at least one label pair required', 400);
  return undefined;
}

interface HeldAlert {
  labels: Labels;
  annotations: Record<string, string>;
  startsAt: string;
  /** Unset until the sender resolves it; Alertmanager then reports updatedAt + resolve_timeout. */
  endsAt?: string;
  updatedAt: string;
  generatorURL: string;
}

/**
 * The stand-in's route: an alert that names a loopback webhook URL in its `cutover_receiver` annotation (as
 * the monitoring suite's synthetic alert does) is delivered there, firing and then resolved, as a platform
 * whose Alertmanager routes Cutover's alert to Cutover's receiver would — unless a `receiver-down` fault
 * makes that receiver refuse. Nothing is sent anywhere else.
 */
function deliver(url: string | undefined, alert: HeldAlert, key: string, nowMs: number): void {
  if (!url) return;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return;
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (target.protocol !== 'http:' || !(host.startsWith('127.') || host === '::1' || host === 'localhost'))
    return;
  const resolved = alert.endsAt !== undefined && Date.parse(alert.endsAt) <= nowMs;
  const status = resolved ? 'resolved' : 'firing';
  const payload = {
    version: '4',
    groupKey: `{}:{alertname="${alert.labels.alertname ?? ''}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'cutover',
    groupLabels: { alertname: alert.labels.alertname ?? '' },
    commonLabels: alert.labels,
    commonAnnotations: alert.annotations,
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status,
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        // Alertmanager sends Go's zero time while an alert fires.
        endsAt: resolved ? alert.endsAt : '0001-01-01T00:00:00Z',
        generatorURL: alert.generatorURL,
        fingerprint: key,
      },
    ],
  };
  void fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.27.0' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(5000),
  }).then(
    (res) => res.body?.cancel(),
    () => {},
  );
}

export const alertmanager: ServiceDefinition = {
  health: { path: '/-/ready', status: 200, contentType: 'text/plain', contains: 'OK' },
  routes: ({ startedAtMs, faults = [] }) => {
    const receiverDown = faults.some((f) => f.kind === 'monitoring' && f.defect === 'receiver-down');
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
      generatorURL: '',
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
          const texts = ctx.query.getAll('filter');
          const filters = texts.map(parseMatcher);
          const bad = filters.indexOf(undefined);
          // Alertmanager answers a filter it cannot parse with a bare JSON string.
          if (bad >= 0) return json(matcherError(texts[bad]!), 400);
          const receiver = ctx.query.get('receiver');
          let receiverRe: RegExp | undefined;
          try {
            receiverRe = receiver === null ? undefined : new RegExp(`^(?:${receiver})$`);
          } catch (err) {
            return json(`failed to parse receiver param: ${(err as Error).message}`, 400);
          }
          // Every alert the stand-in holds is active (none is silenced or inhibited).
          if (ctx.query.get('active') === 'false') return json([]);
          const now = ctx.now();
          const endsAt = (a: HeldAlert) => a.endsAt ?? iso(Date.parse(a.updatedAt) + RESOLVE_TIMEOUT_MS);
          // Resolved alerts drop out of the v2 list, as in Alertmanager itself.
          const out = [...alerts.entries()]
            .filter(([, a]) => Date.parse(endsAt(a)) > now)
            .filter(([, a]) => filters.every((f) => matcherMatches(a.labels, f!)))
            .filter(() => receiverRe === undefined || receiverRe.test('default'))
            .map(([fingerprint, a]) => ({
              annotations: a.annotations,
              endsAt: endsAt(a),
              fingerprint,
              receivers: [{ name: 'default' }],
              startsAt: a.startsAt,
              status: { inhibitedBy: [], silencedBy: [], state: 'active' },
              updatedAt: a.updatedAt,
              generatorURL: a.generatorURL,
              labels: a.labels,
            }));
          return json(out);
        },
      },
      {
        method: 'POST',
        path: '/api/v2/alerts',
        handler: (ctx) => {
          const refused = refuse(ctx.body);
          if (refused) return refused;
          for (const a of postableAlerts.parse(ctx.body)) {
            const key = fingerprint(a.labels);
            const startsAt = a.startsAt ?? alerts.get(key)?.startsAt ?? iso(ctx.now());
            const held: HeldAlert = {
              labels: a.labels,
              annotations: a.annotations ?? {},
              startsAt,
              endsAt: a.endsAt,
              updatedAt: iso(ctx.now()),
              generatorURL: a.generatorURL ?? '',
            };
            alerts.set(key, held);
            if (!receiverDown) deliver(held.annotations.cutover_receiver, held, key, ctx.now());
          }
          return { status: 200 };
        },
      },
    ];
  },
};
