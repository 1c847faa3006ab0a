// The browser suite: the specs run by Playwright's own runner once per environment (baseline first; the
// shards of one environment side by side), every test judged from its own results, its traces and
// screenshots copied into the run folder, and each page a spec captured compared across the environments.
// The generated config, the login spec and the signed-in storage state live in a private temporary
// folder that is removed afterwards: a session never reaches the run folder.
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '../../core/model.js';
import { copyInto, makeTempDir, removeDir, writeFileAtomic } from '../../record/files.js';
import { browserVersion, playwrightTestDir, runPlaywright } from '../../runners/browser/playwright.js';
import type { Suite, SuiteContext } from '../suite.js';
import { CAPTURE_PNG, type Capture, slug } from './capture-model.js';
import { compareScreenshots, locationProblem, pageLocation } from './compare.js';
import {
  a11yCheck,
  type BrowserCheck,
  consoleCheck,
  loginCheck,
  networkCheck,
  SUITE,
  specCheck,
  timingEvidence,
  uncomparedChecks,
  visualCheck,
} from './evidence.js';
import { type BrowserPlan, planBrowser } from './plan.js';
import { LOGIN_SPEC, loginSpec, playwrightConfig, setupProject, tsconfigFor } from './playwright-config.js';
import { mergeReports, type ParsedReport, parseReport, type TestOutcome } from './results.js';

/** The built spec-side helper that `cutover/browser` names (dist/src/browser.js beside this build). */
const CUTOVER_BROWSER = fileURLToPath(new URL('../../browser.js', import.meta.url));

const LINKED: Readonly<Record<string, string>> = {
  trace: 'trace',
  screenshot: 'screenshot',
  'error-context': 'errorContext',
  video: 'video',
};

interface EnvResult {
  environment: string;
  report: ParsedReport;
  /** Why the runner gave no report for a shard, if it did not. */
  failures: string[];
}

class Recorder {
  readonly counts = new Map<string, number>();
  constructor(
    private readonly ctx: SuiteContext,
    private readonly service: string,
  ) {}
  check(environment: string, c: BrowserCheck): void {
    const check: CheckResult = {
      suite: SUITE,
      environment,
      service: this.service,
      ...c,
      at: this.ctx.now().toISOString(),
    };
    this.counts.set(environment, (this.counts.get(environment) ?? 0) + 1);
    this.ctx.check(check);
  }
}

async function runEnvironment(
  ctx: SuiteContext,
  plan: BrowserPlan,
  environment: string,
  configFile: string,
  work: string,
): Promise<EnvResult> {
  const total = plan.settings.shards;
  const runs = await Promise.all(
    Array.from({ length: total }, (_, i) =>
      runPlaywright({
        configFile,
        project: environment,
        shard: { index: i + 1, total },
        outputDir: join(work, 'out', environment, String(i + 1)),
        reportFile: join(work, 'reports', `${environment}-${i + 1}.json`),
        // `cutover demo` hands in the simulated realm's user for the login; it wins over the shell's.
        env: { ...ctx.env, ...ctx.options.browser?.env },
        timeoutMs: plan.settings.runTimeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    ),
  );
  const failures: string[] = [];
  const parts: ParsedReport[] = [];
  runs.forEach((r, i) => {
    const shard = total > 1 ? ` (shard ${i + 1}/${total})` : '';
    if (r.timedOut)
      failures.push(`Playwright did not finish within ${plan.settings.runTimeoutMs} ms${shard}`);
    if (r.report) parts.push(parseReport(r.report));
    else
      failures.push(
        `Playwright wrote no report${shard} (exit ${r.exitCode}): ${r.output.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`,
      );
  });
  return { environment, report: mergeReports(parts), failures };
}

/** Copies a test's traces and failure screenshots into the run folder; the links, relative to it. */
function keepAttachments(runDir: string | undefined, t: TestOutcome): Record<string, string> {
  if (!runDir) return {};
  const links: Record<string, string> = {};
  for (const a of t.attachments) {
    const key = LINKED[a.name];
    if (!key || !a.path) continue;
    const dest = join(
      runDir,
      'browser',
      t.project,
      slug(`${t.file} ${t.title}`),
      `${a.retry}-${basename(a.path)}`,
    );
    try {
      copyInto(a.path, dest);
      links[key] = relative(runDir, dest);
    } catch {
      // A file Playwright listed and did not keep is no evidence; the check's reason still says what failed.
    }
  }
  return links;
}

function screenshotOf(t: TestOutcome, page: string): string | undefined {
  const last = Math.max(0, ...t.attachments.map((a) => a.retry));
  return t.attachments.find((a) => a.retry === last && a.name === `${CAPTURE_PNG}: ${page}`)?.path;
}

interface PageSide {
  capture: Capture;
  screenshot?: string;
}

function pagesOf(tests: readonly TestOutcome[]): Map<string, PageSide> {
  const out = new Map<string, PageSide>();
  for (const t of tests)
    for (const c of t.captures) {
      const shot = screenshotOf(t, c.page);
      out.set(`${t.file} › ${t.title} › ${c.page}`, { capture: c, ...(shot ? { screenshot: shot } : {}) });
    }
  return out;
}

function comparePage(
  ctx: SuiteContext,
  plan: BrowserPlan,
  rec: Recorder,
  target: string,
  key: string,
  b: PageSide,
  t: PageSide,
): void {
  const page = t.capture.page;
  const runDir = ctx.runDir;
  const links: Record<string, string> = {};
  let diff: ReturnType<typeof compareScreenshots> | string;
  if (!b.screenshot || !t.screenshot)
    diff = `no screenshot on the ${!t.screenshot ? 'target' : 'baseline'}: ${(!t.screenshot ? t : b).capture.screenshotError ?? 'not attached'}`;
  else {
    try {
      diff = compareScreenshots(
        readFileSync(b.screenshot),
        readFileSync(t.screenshot),
        plan.settings.tolerance.threshold,
      );
      if (runDir) {
        const dir = join(runDir, 'browser', 'pages', slug(key));
        copyInto(b.screenshot, join(dir, 'baseline.png'));
        copyInto(t.screenshot, join(dir, `${target}.png`));
        links.baselineImage = relative(runDir, join(dir, 'baseline.png'));
        links.targetImage = relative(runDir, join(dir, `${target}.png`));
        if (diff.diffPixels > 0) {
          writeFileAtomic(join(dir, 'diff.png'), diff.diffPng);
          links.diffImage = relative(runDir, join(dir, 'diff.png'));
        }
      }
    } catch (error) {
      diff = `screenshots could not be compared: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  // The same page, or not: a target that redirects to a sign-in the baseline skipped shows a different
  // page however alike the pixels; both on the identity provider's page vouch for nothing.
  const baseOf = (env: string) => plan.environments.find((e) => e.environment === env)?.baseURL ?? '';
  const where = locationProblem(
    page,
    pageLocation(b.capture.url, baseOf(b.capture.environment)),
    pageLocation(t.capture.url, baseOf(t.capture.environment)),
  );
  if (where?.kind === 'differs') diff = where.reason;
  if (where?.kind === 'off-app')
    ctx.evidence({
      kind: 'coverage',
      suite: SUITE,
      environment: target,
      scope: `${SUITE}:page:${page}`,
      status: 'could-not-check',
      reason: where.reason,
      at: ctx.now().toISOString(),
    });
  rec.check(target, visualCheck(page, diff, plan.settings.tolerance, links));
  rec.check(target, consoleCheck(page, b.capture, t.capture));
  rec.check(target, networkCheck(page, b.capture, t.capture));
  rec.check(target, a11yCheck(page, b.capture, t.capture));
}

async function runBrowser(ctx: SuiteContext, plan: BrowserPlan): Promise<void> {
  const rec = new Recorder(ctx, plan.service);
  const now = () => ctx.now().toISOString();
  for (const environment of plan.absent)
    ctx.evidence({
      kind: 'coverage',
      suite: SUITE,
      environment,
      scope: SUITE,
      status: 'could-not-check',
      reason: `${plan.service} is not deployed in ${environment}: no page to open`,
      at: now(),
    });
  if (plan.environments.length === 0) return;
  const work = makeTempDir('cutover-browser-');
  try {
    const paths = {
      specDir: plan.specDir,
      loginDir: join(work, 'login'),
      stateFile: (env: string) => join(work, 'state', `${env}.json`),
      tsconfig: join(work, 'tsconfig.json'),
    };
    writeFileAtomic(
      paths.tsconfig,
      JSON.stringify(tsconfigFor(playwrightTestDir(), CUTOVER_BROWSER), null, 2),
    );
    if (plan.settings.login) writeFileAtomic(join(paths.loginDir, LOGIN_SPEC), loginSpec());
    const configFile = join(work, 'playwright.config.mjs');
    const config = playwrightConfig(plan.environments, plan.settings, paths);
    writeFileAtomic(configFile, `export default ${JSON.stringify(config, null, 2)};\n`);

    const results: EnvResult[] = [];
    for (const env of plan.environments) {
      if (ctx.signal?.aborted) return;
      ctx.log(`browser: ${env.environment} (${env.baseURL})`);
      results.push(await runEnvironment(ctx, plan, env.environment, configFile, work));
    }
    if (ctx.signal?.aborted) return;

    const testsOf = (r: EnvResult) => r.report.tests.filter((t) => t.project === r.environment);
    for (const r of results) {
      for (const failure of [...r.failures, ...r.report.errors])
        rec.check(r.environment, { check: 'run', status: 'fail', reason: failure });
      if (plan.settings.login) {
        const setup = r.report.tests.find((t) => t.project === setupProject(r.environment));
        rec.check(r.environment, loginCheck(setup, setup ? keepAttachments(ctx.runDir, setup) : {}));
      }
      for (const t of testsOf(r)) {
        rec.check(r.environment, specCheck(t, keepAttachments(ctx.runDir, t)));
        for (const e of t.captureErrors)
          rec.check(r.environment, { check: 'run', status: 'fail', reason: `${t.file} › ${t.title}: ${e}` });
        for (const c of t.captures) for (const m of timingEvidence(plan.service, c, now())) ctx.evidence(m);
      }
    }

    // Every other environment against the first (the baseline): the same tests, the same pages.
    const [base, ...others] = results;
    if (base)
      for (const other of others) {
        const have = new Set(testsOf(other).map((t) => `${t.file} › ${t.title}`));
        for (const t of testsOf(base))
          if (!have.has(`${t.file} › ${t.title}`))
            rec.check(other.environment, {
              check: 'spec',
              status: 'fail',
              reason: `${t.file} › ${t.title}: ran on ${base.environment}, not on ${other.environment}`,
              data: { file: t.file, title: t.title },
            });
        const before = pagesOf(testsOf(base));
        const after = pagesOf(testsOf(other));
        for (const [key, b] of before) {
          const t = after.get(key);
          if (t) comparePage(ctx, plan, rec, other.environment, key, b, t);
          else
            for (const c of uncomparedChecks(b.capture.page, other.environment, base.environment))
              rec.check(other.environment, c);
        }
        for (const [key, t] of after)
          if (!before.has(key))
            for (const c of uncomparedChecks(t.capture.page, base.environment, other.environment))
              rec.check(other.environment, c);
      }

    for (const r of results) {
      const ran = r.failures.length === 0;
      ctx.evidence({
        kind: 'coverage',
        suite: SUITE,
        environment: r.environment,
        scope: SUITE,
        status: ran ? 'complete' : 'could-not-check',
        reason: ran
          ? `${testsOf(r).length} test(s) run by Playwright in ${plan.browser}`
          : r.failures.join('; '),
        counts: { checks: rec.counts.get(r.environment) ?? 0 },
        at: now(),
      });
    }
  } finally {
    removeDir(work);
  }
}

export const browserSuite: Suite<BrowserPlan> = {
  id: 'browser',
  title: 'Browser: the frontends in Chromium, page parity across the environments',
  byDefault: false,
  plan: async (ctx) =>
    planBrowser(ctx.config, ctx.environments, await browserVersion(ctx.config.browser.executablePath)),
  plannedChecks: (plan) => plan.environments.length * plan.specs.length,
  tools: (plan) => ({ browser: plan.browser }),
  run: runBrowser,
};
