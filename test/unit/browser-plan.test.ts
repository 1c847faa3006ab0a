// The browser suite's plan refuses what the user must fix before anything runs — no spec folder, no
// specs, no Chromium, a frontend it cannot choose — naming the field; and takes each environment's
// baseURL, pins and CAs from the Cutover config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { UserError } from '../../src/core/errors.js';
import { planBrowser, spkiHashes } from '../../src/suites/browser/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'cutover-browser-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'specs/nested'), { recursive: true });
writeFileSync(join(dir, 'specs/a.spec.ts'), '');
writeFileSync(join(dir, 'specs/nested/b.test.mjs'), '');
writeFileSync(join(dir, 'specs/helper.ts'), '');
mkdirSync(join(dir, 'empty'));

function config(browser: Record<string, unknown>, frontends = ['web']) {
  const services = Object.fromEntries(
    frontends.map((id) => [id, { tier: 'frontend', phase: 3, health: { path: '/' } }]),
  );
  return validateConfig(
    {
      project: 'p',
      environments: {
        baseline: { kind: 'compose', composeFile: 'c.yml', services: { web: { url: 'http://127.0.0.1:1' } } },
        target: {
          kind: 'kubernetes',
          context: 'c',
          namespaces: ['n'],
          resolve: { 'web.k8s.test': '127.0.0.2' },
          tls: { insecure: true },
          services: Object.fromEntries(frontends.map((id) => [id, { url: `https://${id}.k8s.test` }])),
        },
      },
      services,
      browser,
    },
    join(dir, 'cutover.config.mjs'),
    dir,
  );
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('planning the browser suite', () => {
  it('lists the spec files Playwright would run, and takes each environment from the config', () => {
    const plan = planBrowser(config({ specDir: 'specs' }), ['baseline', 'target'], 'Chromium 156');
    expect(plan.specs).toEqual(['a.spec.ts', 'nested/b.test.mjs']);
    expect(plan.service).toBe('web');
    expect(plan.environments).toEqual([
      { environment: 'baseline', baseURL: 'http://127.0.0.1:1', pins: {}, insecure: false, caSpki: [] },
      {
        environment: 'target',
        baseURL: 'https://web.k8s.test',
        pins: { 'web.k8s.test': '127.0.0.2' },
        insecure: true,
        caSpki: [],
      },
    ]);
  });

  it('records an environment without the frontend as absent rather than failing', () => {
    const plan = planBrowser(
      config({ specDir: 'specs', service: 'shop' }, ['web', 'shop']),
      ['baseline', 'target'],
      'C',
    );
    expect(plan.absent).toEqual(['baseline']);
    expect(plan.environments.map((e) => e.environment)).toEqual(['target']);
  });

  it('refuses, naming the field: no folder, no specs, no Chromium, an unknown or ambiguous frontend', () => {
    const envs = ['baseline', 'target'];
    expect(refusal(() => planBrowser(config({ specDir: 'nope' }), envs, 'C'))).toMatch(
      /^browser\.specDir: .*nope is not a folder$/,
    );
    expect(refusal(() => planBrowser(config({ specDir: 'empty' }), envs, 'C'))).toContain(
      'browser.specDir: no spec files',
    );
    expect(refusal(() => planBrowser(config({ specDir: 'specs' }), envs, undefined))).toContain(
      'browser.executablePath: no Chromium runs at /usr/bin/chromium',
    );
    expect(refusal(() => planBrowser(config({ specDir: 'specs', service: 'api' }), envs, 'C'))).toContain(
      'browser.service: unknown service "api"',
    );
    expect(refusal(() => planBrowser(config({ specDir: 'specs' }, ['web', 'shop']), envs, 'C'))).toContain(
      'browser.service: several frontends (web, shop)',
    );
  });

  it('hashes nothing when there is no CA file, and refuses a CA file that does not read, naming it', () => {
    expect(spkiHashes(undefined)).toEqual([]);
    writeFileSync(
      join(dir, 'bad.pem'),
      '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n',
    );
    const bad = config({ specDir: 'specs' });
    bad.environments.target!.tls.caFile = 'bad.pem';
    expect(refusal(() => planBrowser(bad, ['baseline', 'target'], 'C'))).toMatch(
      /^environments\.target\.tls\.caFile: bad\.pem holds a certificate that does not read/,
    );
  });
});
