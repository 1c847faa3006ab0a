// The Playwright config Cutover generates: one project per environment from the Cutover config, a login
// setup project each when the config signs in, host pins as Chromium's resolver rules; and the page
// metrics in the gates' one grammar, read from the browser suite's evidence.
import { describe, expect, it } from 'vitest';
import { parseGate } from '../../src/core/gates/parse.js';
import { criterionSuite } from '../../src/core/gates/scope.js';
import { browserSchema } from '../../src/suites/browser/define.js';
import {
  type EnvironmentTarget,
  hostResolverRules,
  launchArgs,
  playwrightConfig,
  tsconfigFor,
} from '../../src/suites/browser/playwright-config.js';

const envs: EnvironmentTarget[] = [
  { environment: 'baseline', baseURL: 'http://127.0.0.1:17109', pins: {}, insecure: false, caSpki: [] },
  {
    environment: 'target',
    baseURL: 'https://shop.k8s.test',
    pins: { '*.k8s.test': '127.0.0.2', 'api.k8s.test:8443': '::1' },
    insecure: true,
    caSpki: ['abc='],
  },
];
interface Project {
  name: string;
  dependencies?: string[];
  use: {
    baseURL: string;
    ignoreHTTPSErrors: boolean;
    launchOptions: { executablePath: string };
    storageState?: string;
  };
  metadata: { cutover?: unknown; cutoverLogin?: unknown };
}

const paths = {
  specDir: '/team/specs',
  loginDir: '/tmp/w/login',
  stateFile: (e: string) => `/tmp/w/state/${e}.json`,
  tsconfig: '/tmp/w/tsconfig.json',
};

describe('the generated Playwright config', () => {
  it('maps the config’s pins to Chromium resolver rules', () => {
    expect(hostResolverRules({ '*.k8s.test': '127.0.0.2', 'api.k8s.test:8443': '::1' })).toBe(
      'MAP *.k8s.test 127.0.0.2, MAP api.k8s.test:8443 [::1]:8443',
    );
    expect(hostResolverRules({})).toBeUndefined();
    expect(launchArgs(envs[1]!)).toEqual([
      '--disable-quic',
      '--host-resolver-rules=MAP *.k8s.test 127.0.0.2, MAP api.k8s.test:8443 [::1]:8443',
      '--ignore-certificate-errors-spki-list=abc=',
    ]);
  });

  it('has one project per environment with its baseURL, and Chromium through executablePath', () => {
    const settings = browserSchema.parse({ executablePath: '/opt/chromium' });
    const config = playwrightConfig(envs, settings, paths) as { projects: Project[]; testDir: string };
    expect(config.testDir).toBe('/team/specs');
    expect(config.projects.map((p) => p.name)).toEqual(['baseline', 'target']);
    expect(config.projects[1]!.use.baseURL).toBe('https://shop.k8s.test');
    expect(config.projects[1]!.use.ignoreHTTPSErrors).toBe(true);
    expect(config.projects[0]!.use.launchOptions.executablePath).toBe('/opt/chromium');
    expect(config.projects[1]!.metadata).toEqual({
      cutover: { environment: 'target', loads: 8, masks: [], settle: 'networkidle', settleTimeoutMs: 5000 },
    });
    expect(config.projects[0]!.dependencies).toBeUndefined();
  });

  it('signs in once per environment: a setup project each, its storage state for that environment only', () => {
    const settings = browserSchema.parse({ login: { usernameEnv: 'U', passwordEnv: 'P' } });
    const config = playwrightConfig(envs, settings, paths) as { projects: Project[] };
    expect(config.projects.map((p) => [p.name, p.dependencies])).toEqual([
      ['setup-baseline', undefined],
      ['baseline', ['setup-baseline']],
      ['setup-target', undefined],
      ['target', ['setup-target']],
    ]);
    expect(config.projects[3]!.use.storageState).toBe('/tmp/w/state/target.json');
    expect(config.projects[2]!.metadata.cutoverLogin).toMatchObject({
      usernameEnv: 'U',
      passwordEnv: 'P',
      usernameSelector: '#username',
      submitSelector: '#kc-login',
      storageState: '/tmp/w/state/target.json',
    });
  });

  it("points a spec's imports at this installation", () => {
    expect(tsconfigFor('/cutover/node_modules/@playwright/test', '/cutover/dist/src/browser.js')).toEqual({
      compilerOptions: {
        baseUrl: '.',
        paths: {
          '@playwright/test': ['/cutover/node_modules/@playwright/test/index.mjs'],
          'cutover/browser': ['/cutover/dist/src/browser.js'],
        },
      },
    });
  });
});

describe('page metrics in the gates’ grammar', () => {
  const gate = (expr: string) =>
    parseGate({ id: 'g', phase: 3, title: 'g', criteria: [{ id: 'c', title: 'c', serves: 2, expr }] });

  it('accepts browser_lcp relative to the baseline, read from the browser suite', () => {
    const parsed = gate('browser_lcp{page:bookings list}: p(75) <= baseline * 1.10 + 100ms');
    const c = parsed.criteria[0]!;
    expect(c.rule).toMatchObject({
      kind: 'metric',
      metric: 'browser_lcp',
      type: 'trend',
      filter: { page: 'bookings list' },
    });
    expect(c.rule.kind === 'metric' && c.rule.relative).toEqual({ factor: 1.1, slack: 100 });
    expect(criterionSuite(c)).toBe('browser');
    expect(criterionSuite(gate('http_req_duration: med <= baseline').criteria[0]!)).toBe('performance');
  });

  it('refuses a load tag on a page metric, and suggests the name of a misspelt one', () => {
    expect(() => gate('browser_lcp{endpoint:x}: med <= baseline')).toThrow();
    try {
      gate('browser_lpc: med <= baseline');
    } catch (error) {
      expect((error as { problems: string[] }).problems[0]).toContain('did you mean browser_lcp?');
    }
  });
});
