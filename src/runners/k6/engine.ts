// `--engine k6`: each block's scenarios run as k6 processes (the bundles from `cutover k6 build`), one per
// scenario and environment, concurrently as k6 would run its scenarios; their JSON output and summary
// become the same results the embedded engine produces. Secrets reach k6 through its environment, never
// its command line (which `ps` shows).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { writeFileAtomic } from '../../record/files.js';
import { pinnedAddress } from '../http/pinning.js';
import type { BlockJob, BlockRunner, EnginePlan } from '../load/engine-input.js';
import type { SliceResult } from '../load/recorder.js';
import type { SeriesPoint } from '../load/series.js';
import { buildK6Scripts } from './build.js';
import { parseK6Summary, readK6Json } from './parse.js';
import { K6SeriesBuilder } from './series.js';
import { readUserScriptJson, userScriptEnv } from './user-script.js';

export const K6_INSTALL_HINT =
  "install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/): Grafana's APT repository (deb https://dl.k6.io/deb stable main, then apt-get install k6), brew install k6, the grafana/k6 Docker image, or a release tarball from https://github.com/grafana/k6/releases; or point --k6 at the binary. The default embedded engine needs none of this.";

interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

function exec(
  file: string,
  args: string[],
  env: Record<string, string>,
  signal?: AbortSignal,
): Promise<Exec> {
  return new Promise((done) => {
    const child = spawn(file, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    // Only the tail is kept: a k6 that logs a lot must not grow our memory.
    child.stdout.on('data', (d) => (stdout = (stdout + d).slice(-20_000)));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', (error: NodeJS.ErrnoException) => done({ code: null, stdout, stderr, error }));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The k6 version line, or a UserError saying k6 is missing and how to install it. */
export async function findK6(
  k6Path: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const file = k6Path ?? 'k6';
  const r = await exec(file, ['version'], baseEnv(env));
  if (r.error?.code === 'ENOENT' || r.error?.code === 'EACCES') {
    throw new UserError(
      k6Path
        ? `--k6 ${k6Path}: no executable k6 there`
        : 'k6 is not installed on this machine (no `k6` on PATH)',
      { hint: K6_INSTALL_HINT },
    );
  }
  if (r.code !== 0)
    throw new UserError(
      `${file} version failed (exit ${r.code}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
    );
  return r.stdout.trim().split('\n')[0] ?? 'k6';
}

/** PATH and HOME only: k6 passes its environment to scripts as __ENV, so nothing else is handed down. */
function baseEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'SSL_CERT_FILE']) if (env[k]) out[k] = env[k]!;
  return out;
}

/** The variable that carries an environment's setup values to k6; they may be secret (a captured token). */
export const SETUP_DATA = 'CUTOVER_SETUP_DATA';

export interface K6Job {
  scenario: string;
  environment: string;
  script: string;
  baseUrl: string;
  env: Record<string, string>;
}

/**
 * The variables one k6 run gets: the block's window, the base URL, pinned hosts, the scenario's named
 * variables, the values the environment's setup captured (CUTOVER_SETUP_DATA, which the script's
 * setup() returns instead of sending the steps again) — and, for an environment with its own CA
 * (`tls.caFile`), SSL_CERT_FILE naming that CA, which k6 (Go's TLS) reads as its CA bundle — trusting
 * that CA as the embedded engine does with `ca`.
 */
export function k6RunEnv(
  plan: EnginePlan,
  job: BlockJob,
  processEnv: Readonly<Record<string, string | undefined>>,
  caFile?: string,
): Record<string, string> {
  const t = job.planned.targets[job.environment]!;
  const url = new URL(t.baseUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const pinned = pinnedAddress(t.pins, url.hostname, port);
  const named = Object.fromEntries(
    Object.entries(job.planned.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return {
    ...baseEnv(processEnv),
    ...named,
    K6_NEW_MACHINE_READABLE_SUMMARY: 'false',
    CUTOVER_BASE_URL: t.baseUrl,
    CUTOVER_PROFILE: JSON.stringify(job.profile),
    ...(t.vars ? { [SETUP_DATA]: JSON.stringify(t.vars) } : {}),
    ...(pinned ? { CUTOVER_HOSTS: JSON.stringify({ [url.hostname]: pinned }) } : {}),
    ...(t.insecure ? { CUTOVER_INSECURE: 'true' } : {}),
    ...(caFile ? { SSL_CERT_FILE: caFile } : {}),
    CUTOVER_TIMEOUT: `${plan.timeoutMs}ms`,
    ...userScriptEnv(job),
  };
}

export async function k6Engine(
  plan: EnginePlan,
  options: {
    k6Path?: string;
    env: Readonly<Record<string, string | undefined>>;
    signal?: AbortSignal;
    log: (line: string) => void;
    /** Each second of each run, rebuilt from the output's time stamps (the run record's series). */
    onSeries?: (p: SeriesPoint) => void;
  },
): Promise<{ runBlock: BlockRunner; close: () => Promise<void> }> {
  const version = await findK6(options.k6Path, options.env);
  const work = mkdtempSync(join(tmpdir(), 'cutover-k6-'));
  const scripts = new Map(
    (
      await buildK6Scripts(
        plan.scenarios.map((s) => s.module),
        work,
      )
    ).map((b) => [b.scenario, b.file]),
  );
  options.log(`k6: ${version}; ${scripts.size} script(s) bundled`);
  // An environment's CA (the PEM text the plan read from tls.caFile) as a file k6 can be pointed at.
  const caFiles = new Map<string, string>();
  const caFileOf = (job: BlockJob): string | undefined => {
    const ca = job.planned.targets[job.environment]!.ca;
    if (!ca) return undefined;
    let file = caFiles.get(job.environment);
    if (!file) {
      file = join(work, `ca-${caFiles.size}.pem`);
      writeFileAtomic(file, ca);
      caFiles.set(job.environment, file);
    }
    return file;
  };
  const runOne = async (job: BlockJob, index: number): Promise<SliceResult> => {
    const name = job.planned.module.scenario.name;
    const stem = join(work, `${name}-${job.environment}-${index < 0 ? 'warmup' : index}`);
    const args = [
      'run',
      '--quiet',
      '--no-color',
      '--out',
      `json=${stem}.jsonl`,
      '--summary-export',
      `${stem}.summary.json`,
      '--tag',
      `environment=${job.environment}`,
      scripts.get(name)!,
    ];
    const env = k6RunEnv(plan, job, options.env, caFileOf(job));
    const r = await exec(options.k6Path ?? 'k6', args, env, options.signal);
    if (r.error) throw new Error(`k6 could not start: ${r.error.message}`);
    // 99: thresholds crossed — a finished run with results; anything else non-zero is a failed run.
    if (r.code !== 0 && r.code !== 99) {
      const last = `${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`k6 failed on ${name} (${job.environment}) with exit code ${r.code}: ${last}`);
    }
    const series = options.onSeries
      ? new K6SeriesBuilder(name, job.environment, index, options.onSeries)
      : undefined;
    const read = job.planned.module.k6Script ? readUserScriptJson : readK6Json;
    const result = await read(`${stem}.jsonl`, name, job.environment, series && ((p) => series.add(p)));
    series?.flush();
    try {
      const summary = parseK6Summary(readFileSync(`${stem}.summary.json`, 'utf8'));
      if (summary.crossed.length > 0 && index >= 0) {
        options.log(
          `k6 reports thresholds crossed on ${name} (${job.environment}, block ${index}): ${summary.crossed.join('; ')}`,
        );
      }
      if (summary.dropped !== undefined) result.dropped = summary.dropped;
      if (job.planned.module.k6Script) {
        result.k6Crossed = summary.crossed;
        result.k6Summaries = 1;
      }
    } catch (error) {
      options.log(`k6 summary of ${name} (${job.environment}) unreadable: ${(error as Error).message}`);
    }
    return result;
  };
  return {
    runBlock: (jobs, _block, index) => Promise.all(jobs.map((j) => runOne(j, index))),
    close: async () => rmSync(work, { recursive: true, force: true }),
  };
}
