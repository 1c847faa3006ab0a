// Playwright's own test runner, spawned: there is no public runner API (microsoft/playwright#7275), and the
// maintainers' advice is to run the CLI with a config and read its JSON report. One invocation is one
// environment's project (and its login setup) and one shard; each gets its own output folder and report
// file, since Playwright cleans its output folder at the start of a run.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../../core/errors.js';

const require = createRequire(import.meta.url);

/** The folder of the @playwright/test this installation uses: the specs must import this very copy. */
export function playwrightTestDir(): string {
  try {
    return dirname(require.resolve('@playwright/test/package.json'));
  } catch {
    // An optional peer of the package (a project's specs import their own copy): say how to get it.
    throw new UserError(
      'the browser suite needs @playwright/test and @axe-core/playwright beside cutover: npm install -D @playwright/test @axe-core/playwright',
    );
  }
}

export interface PlaywrightInvocation {
  configFile: string;
  project: string;
  /** 1-based shard of `total`. */
  shard: { index: number; total: number };
  outputDir: string;
  reportFile: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface PlaywrightOutcome {
  exitCode: number | null;
  /** The JSON report's text, when Playwright wrote one. */
  report?: string;
  /** The end of what the runner printed, for a reason when there is no report. */
  output: string;
  timedOut: boolean;
}

const KEEP_OUTPUT = 4000;

export function runPlaywright(inv: PlaywrightInvocation): Promise<PlaywrightOutcome> {
  const cli = join(playwrightTestDir(), 'cli.js');
  const args = [cli, 'test', '--config', inv.configFile, '--project', inv.project, '--output', inv.outputDir];
  if (inv.shard.total > 1) args.push('--shard', `${inv.shard.index}/${inv.shard.total}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: {
        ...inv.env,
        PLAYWRIGHT_JSON_OUTPUT_FILE: inv.reportFile,
        // No browser download is ever wanted: Chromium comes from the system (executablePath).
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-KEEP_OUTPUT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    // The whole process group: Playwright's workers and their Chromium processes go with it.
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, inv.timeoutMs);
    inv.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      inv.signal?.removeEventListener('abort', stop);
      const report = existsSync(inv.reportFile) ? readFileSync(inv.reportFile, 'utf8') : undefined;
      resolve({ exitCode: code, ...(report ? { report } : {}), output, timedOut });
    });
  });
}

/** `Chromium 156.0.8078.129 built on Debian …` → `Chromium 156.0.8078.129`; undefined when it does not run. */
export function browserVersion(executable: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (!existsSync(executable)) return resolve(undefined);
    execFile(
      executable,
      ['--version'],
      { timeout: 15_000, env: { ...process.env, LANG: 'C' } },
      (_e, out) => {
        const m = /([A-Za-z][A-Za-z ]*?)\s+(\d+(?:\.\d+)+)/.exec(String(out));
        resolve(m ? `${m[1]!.trim()} ${m[2]}` : undefined);
      },
    );
  });
}
