// test/helpers/monitoring-stack.ts leaves no server behind: not after stop(), and not when the process that
// started it is killed outright, without running any hook (a test worker killed on a timeout).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, startMonitoringStack, WATCHDOG_SCRIPT } from '../helpers/monitoring-stack.js';
import { freePort } from '../helpers/project.js';

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('the monitoring stack helper', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('stops both servers and removes its folder', async () => {
    const stack = await startMonitoringStack({ waitForDiscovery: false });
    const { prometheus, alertmanager } = stack.pids();
    expect(prometheus && isAlive(prometheus)).toBe(true);
    expect(alertmanager && isAlive(alertmanager)).toBe(true);
    expect((await fetch(`${stack.alertmanagerUrl}/-/ready`)).status).toBe(200);
    await stack.stop();
    expect(isAlive(prometheus!)).toBe(false);
    expect(isAlive(alertmanager!)).toBe(false);
    expect(existsSync(stack.dir)).toBe(false);
  });

  it('leaves no server behind when the process that started it is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-watchdog-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'prometheus.yml'), 'scrape_configs: []\n');
    const pidFile = join(dir, 'prometheus.pid');
    const command = [
      'prometheus',
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${await freePort()}`,
    ];
    // A stand-in for a test worker: it starts Prometheus the way the helper does, then is SIGKILLed.
    const starter = `
      const { spawn } = require('node:child_process');
      const [script, pidFile, ...command] = JSON.parse(process.argv[1]);
      spawn('sh', ['-c', script, 'watchdog', ...command], {
        env: { ...process.env, PIDFILE: pidFile }, stdio: ['pipe', 'ignore', 'ignore'], detached: true,
      });
      setInterval(() => {}, 1000);
    `;
    const worker = spawn(
      process.execPath,
      ['-e', starter, JSON.stringify([WATCHDOG_SCRIPT, pidFile, ...command])],
      {
        stdio: 'ignore',
      },
    );
    const pid = async () => {
      await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000);
      return Number(readFileSync(pidFile, 'utf8').trim());
    };
    const prometheus = await pid();
    expect(isAlive(prometheus)).toBe(true);
    worker.kill('SIGKILL');
    const gone = await eventually(() => !isAlive(prometheus), 10_000);
    if (!gone) process.kill(prometheus, 'SIGKILL');
    expect(gone).toBe(true);
  });
});
