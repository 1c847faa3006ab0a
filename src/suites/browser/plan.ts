// The browser suite's plan: which spec folder, which frontend's URL is the baseURL in each environment,
// its host pins and trusted CAs, and the Chromium that will drive it. Refuses what the user must fix
// (no spec folder, no specs, no Chromium, an unknown or ambiguous frontend) before anything runs.
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ResolvedConfig } from '../../config/load.js';
import { UserError } from '../../core/errors.js';
import { playwrightTestDir } from '../../runners/browser/playwright.js';
import { readCa } from '../selection.js';
import type { BrowserSettings } from './define.js';
import type { EnvironmentTarget } from './playwright-config.js';

export interface BrowserPlan {
  service: string;
  specDir: string;
  /** Spec files, relative to specDir. */
  specs: string[];
  environments: EnvironmentTarget[];
  /** Selected environments where the frontend is not deployed: recorded as could-not-check. */
  absent: string[];
  settings: BrowserSettings;
  /** `Chromium 156.0.8078.129`, from the executable itself. */
  browser: string;
}

// Playwright's default testMatch.
const SPEC = /\.(spec|test)\.(c|m)?[jt]sx?$/;

export function listSpecs(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (SPEC.test(name)) out.push(relative(dir, p));
    }
  };
  visit(dir);
  return out;
}

function frontendService(config: ResolvedConfig, settings: BrowserSettings): string {
  if (settings.service) {
    if (!config.services[settings.service])
      throw new UserError(
        `browser.service: unknown service "${settings.service}"; known: ${Object.keys(config.services).join(', ')}`,
      );
    return settings.service;
  }
  const frontends = Object.entries(config.services)
    .filter(([, s]) => s.tier === 'frontend')
    .map(([id]) => id);
  if (frontends.length === 1) return frontends[0]!;
  throw new UserError(
    frontends.length === 0
      ? 'browser.service: no service of tier "frontend"; name the service whose URL the specs open'
      : `browser.service: several frontends (${frontends.join(', ')}); name the one whose URL is the specs' baseURL`,
  );
}

/** SHA-256 of each certificate's public key (SPKI), base64, as Chromium's spki list takes them. */
export function spkiHashes(pem: string | undefined): string[] {
  if (!pem) return [];
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const der = new X509Certificate(block).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('base64');
  });
}

function caHashes(config: ResolvedConfig, env: string, caFile: string | undefined): string[] {
  try {
    return spkiHashes(readCa(config, env, caFile));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `environments.${env}.tls.caFile: ${caFile} holds a certificate that does not read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function planBrowser(
  config: ResolvedConfig,
  environments: readonly string[],
  browser: string | undefined,
): BrowserPlan {
  const settings = config.browser;
  const service = frontendService(config, settings);
  const specDir = resolve(config.rootDir, settings.specDir);
  if (!existsSync(specDir) || !statSync(specDir).isDirectory())
    throw new UserError(`browser.specDir: ${specDir} is not a folder`);
  const specs = listSpecs(specDir);
  if (specs.length === 0)
    throw new UserError(`browser.specDir: no spec files (*.spec.ts, *.test.ts …) in ${specDir}`);
  playwrightTestDir(); // refuses, naming the packages, when Playwright is not installed beside cutover
  if (!browser)
    throw new UserError(
      `browser.executablePath: no Chromium runs at ${settings.executablePath}; install Debian's chromium (scripts/setup.sh) or point executablePath at one`,
    );
  const targets: EnvironmentTarget[] = [];
  const absent: string[] = [];
  for (const name of environments) {
    const env = config.environments[name]!;
    const svc = env.services[service];
    if (!svc) {
      absent.push(name);
      continue;
    }
    targets.push({
      environment: name,
      baseURL: svc.url,
      pins: env.resolve,
      insecure: env.tls.insecure,
      caSpki: caHashes(config, name, env.tls.caFile),
    });
  }
  return { service, specDir, specs, environments: targets, absent, settings, browser };
}
