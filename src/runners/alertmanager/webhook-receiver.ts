// The webhook receiver Cutover runs for an alerting test: an HTTP server (loopback unless told otherwise)
// that Alertmanager's `webhook_configs` points at. It records every notification (payload version 4,
// shared/reference/monitoring.md §4.2) and lets a caller wait, with a deadline, for an alert with given
// labels to arrive firing and then resolved — the end-to-end proof that a posted alert, or the always-
// firing Watchdog, really reaches a receiver. Posts that are not a valid payload (or lack the expected
// bearer token) are answered 4xx and recorded as rejected, so a misconfigured sender is named, not ignored.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP } from 'node:net';
import {
  type WebhookAlert,
  type WebhookPayload,
  webhookPayloadSchema,
} from '../../core/monitoring/alertmanager.js';
import { excerpt, parseJson } from '../../core/monitoring/api-outcome.js';
import { formatLabels, type Labels, labelsInclude } from '../../core/monitoring/sample-value.js';

export interface WebhookReceiverOptions {
  /** The address to bind. @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The path Alertmanager posts to. @default "/alerts" */
  path?: string;
  /** When set, posts must carry `Authorization: Bearer <token>` (webhook_configs.http_config.authorization). */
  bearerToken?: string;
  /** Largest payload read. @default 1 MiB */
  maxBodyBytes?: number;
  /** Notifications kept; older ones are dropped first. @default 1000 */
  maxNotifications?: number;
}

export interface ReceivedNotification {
  /** 1, 2, … in order of arrival, for "after this one" waits. */
  seq: number;
  receivedAtMs: number;
  userAgent: string | undefined;
  payload: WebhookPayload;
}

export interface RejectedPost {
  receivedAtMs: number;
  status: number;
  reason: string;
}

export type AlertArrival =
  | { ok: true; alert: WebhookAlert; notification: ReceivedNotification }
  | { ok: false; reason: string };

export interface AwaitOptions {
  timeoutMs: number;
  /** Only notifications with a higher seq count (one that came after a firing one, say). */
  afterSeq?: number;
  signal?: AbortSignal;
}

export interface WebhookReceiver {
  /** The URL to put in Alertmanager's webhook_configs. */
  url: string;
  notifications(): readonly ReceivedNotification[];
  rejected(): readonly RejectedPost[];
  /** Waits for an alert carrying `labels` with that status; the failure says what did arrive. */
  awaitAlert(labels: Labels, status: 'firing' | 'resolved', options: AwaitOptions): Promise<AlertArrival>;
  stop(): Promise<void>;
}

function readBody(
  req: IncomingMessage,
  max: number,
): Promise<{ ok: true; text: string } | { ok: false; status: number; reason: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > max
          ? { ok: false, status: 413, reason: `payload of ${size} bytes is over the ${max}-byte limit` }
          : { ok: true, text: Buffer.concat(chunks).toString('utf8') },
      ),
    );
    req.on('error', (error) =>
      resolve({ ok: false, status: 400, reason: `the request failed: ${error.message}` }),
    );
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/alerts';
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const keep = options.maxNotifications ?? 1000;
  const received: ReceivedNotification[] = [];
  const rejected: RejectedPost[] = [];
  const waiters = new Set<() => void>();
  const pending = new Set<(arrival: AlertArrival) => void>();
  let seq = 0;

  const reject = (status: number, reason: string) => {
    rejected.push({ receivedAtMs: Date.now(), status, reason });
    if (rejected.length > keep) rejected.shift();
  };

  const server: Server = createServer((req, res) => {
    const answer = (status: number, reason?: string) => {
      if (reason) reject(status, reason);
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(reason ?? 'ok');
    };
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    if (url.pathname !== path) {
      req.resume();
      return answer(404, `a post to ${url.pathname}, not ${path}`);
    }
    if (req.method !== 'POST') {
      req.resume();
      return answer(405, `a ${req.method} request; Alertmanager POSTs`);
    }
    if (options.bearerToken !== undefined && !tokenMatches(req.headers.authorization, options.bearerToken)) {
      req.resume();
      return answer(401, 'a post without the expected bearer token');
    }
    void readBody(req, maxBody).then((body) => {
      if (!body.ok) return answer(body.status, body.reason);
      const json = parseJson(body.text);
      const parsed = json.ok ? webhookPayloadSchema.safeParse(json.value) : undefined;
      if (!parsed?.success) {
        const why = parsed
          ? parsed.error.issues
              .slice(0, 2)
              .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
              .join('; ')
          : `not JSON: ${excerpt(body.text, 120)}`;
        return answer(400, `not an Alertmanager webhook payload (version 4): ${why}`);
      }
      seq += 1;
      received.push({
        seq,
        receivedAtMs: Date.now(),
        userAgent: req.headers['user-agent'],
        payload: parsed.data,
      });
      if (received.length > keep) received.shift();
      answer(200);
      for (const wake of waiters) wake();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}${path}`;

  const find = (want: Labels, status: 'firing' | 'resolved', afterSeq: number): AlertArrival | undefined => {
    for (const notification of received) {
      if (notification.seq <= afterSeq) continue;
      const alert = notification.payload.alerts.find(
        (a) => a.status === status && labelsInclude(a.labels, want),
      );
      if (alert) return { ok: true, alert, notification };
    }
    return undefined;
  };

  const describeArrivals = (afterSeq: number): string => {
    const seen = received.filter((n) => n.seq > afterSeq);
    const alerts = [
      ...new Set(seen.flatMap((n) => n.payload.alerts.map((a) => `${formatLabels(a.labels)} ${a.status}`))),
    ];
    const shown = alerts.slice(0, 5).join('; ');
    const more = alerts.length > 5 ? `; and ${alerts.length - 5} more` : '';
    const rejects = rejected.length
      ? `; ${rejected.length} post(s) rejected, the last: ${rejected.at(-1)!.reason}`
      : '';
    return seen.length === 0
      ? `no notification arrived${rejects}`
      : `${seen.length} notification(s) arrived, with ${shown}${more}${rejects}`;
  };

  return {
    url,
    notifications: () => received,
    rejected: () => rejected,
    awaitAlert(want, status, awaitOptions) {
      const afterSeq = awaitOptions.afterSeq ?? 0;
      const found = find(want, status, afterSeq);
      if (found) return Promise.resolve(found);
      return new Promise<AlertArrival>((resolve) => {
        const finish = (arrival: AlertArrival) => {
          clearTimeout(timer);
          waiters.delete(check);
          pending.delete(finish);
          awaitOptions.signal?.removeEventListener('abort', onAbort);
          resolve(arrival);
        };
        const check = () => {
          const arrival = find(want, status, afterSeq);
          if (arrival) finish(arrival);
        };
        const timer = setTimeout(
          () =>
            finish({
              ok: false,
              reason: `no ${status} notification for ${formatLabels(want)} within ${awaitOptions.timeoutMs} ms at ${url}: ${describeArrivals(afterSeq)}`,
            }),
          awaitOptions.timeoutMs,
        );
        const onAbort = () => finish({ ok: false, reason: 'interrupted' });
        if (awaitOptions.signal?.aborted) return onAbort();
        awaitOptions.signal?.addEventListener('abort', onAbort, { once: true });
        waiters.add(check);
        pending.add(finish);
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const finish of pending) finish({ ok: false, reason: 'the webhook receiver stopped' });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
