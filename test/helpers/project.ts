// Test helpers: spawn the real CLI, and make throwaway configs that point the shipped Sevensa config at
// free loopback ports, so end-to-end tests can run in parallel without colliding.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import type { UserConfig } from '../../src/config/schema.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'bin/cutover.js');
export const TMP = join(ROOT, 'test/.tmp');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called once the process is running, e.g. to send it a signal later. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** Runs `node bin/cutover.js ...args`; resolves when it exits (killed after timeoutMs). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000);
    options.onSpawn?.(child);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

// Ports for servers the tests start. They come from below the kernel's ephemeral range (32768–60999
// here), because a port taken from that range and released can be handed to any outgoing connection
// (the load engine opens many) before the server binds it. Each test process draws from its own slice,
// so parallel workers do not pick the same port; a port is checked free before it is handed out.
const PORT_LOW = 20_000;
const SLICE = 400;
const SLICES = 30;
const sliceStart = PORT_LOW + (process.pid % SLICES) * SLICE;
const sliceEnd = sliceStart + SLICE;
let nextPort = sliceStart + Math.floor(Math.random() * SLICE);

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

/** A free TCP port on a loopback address, outside the ephemeral range (see above). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < SLICE; tries++) {
    const port = nextPort++;
    if (nextPort >= sliceEnd) nextPort = sliceStart;
    if (await canBind(port, host)) return port;
  }
  throw new Error(`no free port in ${sliceStart}..${sliceEnd}`);
}

export function tmpDir(name: string): string {
  const dir = join(TMP, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface SimProject {
  dir: string;
  configFile: string;
  /** The config as cutover will load it (undefined when `mutate` made it invalid on purpose). */
  config: ResolvedConfig;
}

/**
 * Writes the shipped Sevensa config, re-pointed at free ports, into a fresh folder (with its own
 * reports/). `mutate` may change the plain config object before it is written.
 */
export async function makeSimProject(
  name: string,
  mutate?: (config: UserConfig) => void,
): Promise<SimProject> {
  const shipped = await loadConfig(ROOT);
  const { configFile: _f, rootDir: _r, reportsPath: _p, ...plain } = shipped;
  const config = structuredClone(plain) as UserConfig;
  for (const env of Object.values(config.environments)) {
    for (const svc of Object.values(env.services)) {
      const url = new URL(svc.url);
      const pinned = Object.entries(env.resolve ?? {}).find(
        ([k]) => k.startsWith('*.') && url.hostname.endsWith(k.slice(1)),
      );
      url.port = String(await freePort(pinned ? pinned[1] : '127.0.0.1'));
      svc.url = url.toString().replace(/\/$/, '');
    }
  }
  if ('composeFile' in config.environments.baseline!) {
    config.environments.baseline.composeFile = join(ROOT, config.environments.baseline.composeFile);
  }
  config.reportsDir = 'reports';
  mutate?.(config);
  const dir = tmpDir(name);
  const configFile = join(dir, 'cutover.config.mjs');
  writeFileSync(configFile, `export default ${JSON.stringify(config, null, 2)};\n`);
  const loaded = await loadConfig(dir).catch(() => undefined);
  return { dir, configFile, config: loaded as ResolvedConfig };
}
