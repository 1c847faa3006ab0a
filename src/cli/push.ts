// `--push URL` on every command that records a run (run, demo, perf, watch, gate): after the run is
// recorded, its summary goes to a Prometheus Pushgateway (runners/pushgateway/), where nightly CI jobs
// that each run apart leave a shared history for the migration's Grafana dashboard
// (deploy/grafana/cutover-migration.json). A push that fails never loses the run nor changes its
// verdict or exit code — the run is already recorded — but it is visible: a warning on stderr and
// `push.ok: false` with the error in run.json. The URL may carry basic-auth credentials; only its
// origin is ever shown or recorded.

import { UserError } from '../core/errors.js';
import { pushMetrics, pushSelection } from '../core/push-metrics.js';
import { shownUrl } from '../core/shown-url.js';
import { writeAll } from '../record/files.js';
import { RUN_FILE } from '../record/recorder.js';
import type { RunRecord } from '../record/run-schema.js';
import { PUSH_JOB, pushToGateway } from '../runners/pushgateway/push.js';
import type { Io } from './io.js';

/** Checks `--push URL` before anything runs: an http(s) URL, or exit 2 naming the flag. */
export function checkPushUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(
      `--push ${shownUrl(url)}: not a URL; expected the Pushgateway's, such as http://pushgateway:9091`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UserError(`--push ${shownUrl(url)}: expected an http:// or https:// URL, not ${u.protocol}`);
  return url;
}

/**
 * Pushes the recorded run's summary and records how that went in its run.json (the record in `dir`).
 * Grouping: job `cutover`, the config's `project` and the run's `selection` (pushSelection), so the
 * nightly jobs of several projects and selections each keep their own latest result.
 */
export async function pushRun(io: Io, dir: string, record: RunRecord, url: string): Promise<void> {
  const groupings = {
    project: record.config.project.replace(/[^A-Za-z0-9._-]/g, '_') || 'cutover',
    selection: pushSelection(record.command, record.suites),
  };
  const at = io.now().toISOString();
  let error: string | undefined;
  try {
    await pushToGateway({ url, groupings }, pushMetrics(record));
  } catch (e) {
    error = (e as Error).message;
  }
  record.push = {
    url: shownUrl(url),
    job: PUSH_JOB,
    groupings,
    at,
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
  };
  writeAll(dir, { [RUN_FILE]: `${JSON.stringify(record, null, 2)}\n` });
  if (error !== undefined)
    io.stderr(
      `cutover: warning: ${error}. The run is recorded in ${dir} and its verdict stands; the push is not retried (run.json: push.ok false)\n`,
    );
  else
    io.stderr(
      `Pushed the run's summary to ${shownUrl(url)} (job ${PUSH_JOB}, ${groupings.project}/${groupings.selection})\n`,
    );
}
