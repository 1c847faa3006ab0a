// Alertmanager's v2 API and its webhook payload as typed values (shared/reference/monitoring.md §4;
// api/v2/openapi.yaml and docs/configuration.md @v0.25.0). Its errors are not one format: a JSON string
// (`"at least one label pair required"`, a bad matcher), `{code, message}` from the OpenAPI layer
// (`{"code":602,"message":"0.labels in body is required"}`), or plain text. Pure.
import { z } from 'zod';
import { excerpt, parseJson, type RawAnswer } from './api-outcome.js';
import { goTime as time } from './go-time.js';
import type { Labels } from './sample-value.js';

const labels = z.record(z.string(), z.string());
const optionalLabels = labels.nullish().transform((l) => l ?? {});

export const amStatusSchema = z
  .object({
    cluster: z
      .object({
        /** `ready`, `settling`, or `disabled` (no HA: --cluster.listen-address=). */
        status: z.string(),
        peers: z.array(z.object({ name: z.string(), address: z.string() }).loose()).nullish(),
        name: z.string().optional(),
      })
      .loose(),
    config: z.object({ original: z.string() }).loose(),
    uptime: time,
    versionInfo: z.object({ version: z.string() }).loose(),
  })
  .loose()
  .transform((s) => ({
    clusterStatus: s.cluster.status,
    peers: (s.cluster.peers ?? []).map((p) => ({ name: p.name, address: p.address })),
    /** The loaded configuration as YAML (secrets shown as <secret> by Alertmanager itself). */
    config: s.config.original,
    uptimeMs: s.uptime,
    version: s.versionInfo.version,
  }));

export type AmStatus = z.output<typeof amStatusSchema>;

export const gettableAlertSchema = z
  .object({
    labels,
    annotations: optionalLabels,
    startsAt: time,
    endsAt: time,
    updatedAt: time,
    fingerprint: z.string(),
    receivers: z.array(z.object({ name: z.string() }).loose()),
    status: z
      .object({
        /** `unprocessed`, `active` or `suppressed` (silenced or inhibited). */
        state: z.string(),
        silencedBy: z.array(z.string()).nullish(),
        inhibitedBy: z.array(z.string()).nullish(),
      })
      .loose(),
    generatorURL: z.string().optional(),
  })
  .loose()
  .transform((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAtMs: a.startsAt,
    endsAtMs: a.endsAt,
    updatedAtMs: a.updatedAt,
    fingerprint: a.fingerprint,
    receivers: a.receivers.map((r) => r.name),
    state: a.status.state,
    silencedBy: a.status.silencedBy ?? [],
    inhibitedBy: a.status.inhibitedBy ?? [],
    generatorURL: a.generatorURL,
  }));

export type GettableAlert = z.output<typeof gettableAlertSchema>;

export const gettableAlertsSchema = z.array(gettableAlertSchema);

export const receiversSchema = z
  .array(z.object({ name: z.string() }).loose())
  .transform((r) => r.map((x) => x.name));

/** One alert of a webhook notification. */
const webhookAlert = z
  .object({
    status: z.enum(['firing', 'resolved']),
    labels,
    annotations: optionalLabels,
    startsAt: time,
    endsAt: time,
    generatorURL: z.string().optional(),
    fingerprint: z.string(),
  })
  .loose()
  .transform((a) => ({
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    startsAtMs: a.startsAt,
    /** Undefined while firing (Alertmanager sends Go's zero time then, whatever endsAt was posted). */
    endsAtMs: a.endsAt,
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  }));

export type WebhookAlert = z.output<typeof webhookAlert>;

/**
 * A webhook notification, version 4. The notification's own `status` is `firing` while any alert of the
 * group fires: a resolved alert can arrive in a `firing` notification, beside one still firing — its own
 * `status` is what says it is resolved.
 */
export const webhookPayloadSchema = z
  .object({
    version: z.literal('4'),
    receiver: z.string(),
    status: z.enum(['firing', 'resolved']),
    alerts: z.array(webhookAlert),
    groupLabels: optionalLabels,
    commonLabels: optionalLabels,
    commonAnnotations: optionalLabels,
    externalURL: z.string(),
    groupKey: z.string(),
    truncatedAlerts: z.number().int().optional(),
  })
  .loose()
  .transform((p) => ({
    receiver: p.receiver,
    status: p.status,
    alerts: p.alerts,
    groupLabels: p.groupLabels,
    commonLabels: p.commonLabels,
    externalURL: p.externalURL,
    groupKey: p.groupKey,
    truncatedAlerts: p.truncatedAlerts ?? 0,
  }));

export type WebhookPayload = z.output<typeof webhookPayloadSchema>;

/**
 * An equality matcher for `filter=`: `name="value"` with `\`, `"` and newlines escaped the way
 * Alertmanager's matcher parser unescapes them. A name that is not a label name is refused (undefined).
 */
export function equalityMatcher(name: string, value: string): string | undefined {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) return undefined;
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${name}="${escaped}"`;
}

/** The matchers selecting exactly these labels, one `filter=` each; undefined when a name is not a label name. */
export function matchersFor(want: Labels): string[] | undefined {
  const out: string[] = [];
  for (const [name, value] of Object.entries(want)) {
    const m = equalityMatcher(name, value);
    if (m === undefined) return undefined;
    out.push(m);
  }
  return out;
}

/** Alertmanager's words in an error answer, whichever of its three formats the answer is in. */
export function alertmanagerErrorWords(answer: RawAnswer): string {
  const json = parseJson(answer.text);
  if (json.ok) {
    if (typeof json.value === 'string') return excerpt(json.value);
    const v = json.value as { message?: unknown; code?: unknown } | null;
    if (v && typeof v.message === 'string') return excerpt(v.message);
  }
  return excerpt(answer.text);
}
