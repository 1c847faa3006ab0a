// `cutover demo` in a folder without a config of its own — as right after `npm install cutover` in an
// empty folder — simulates the Sevensa platform with the config Cutover ships with, and writes its
// reports in that folder, never inside the installation. Other commands still ask for a config.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/project.js';

describe('cutover demo without a config in the folder', () => {
  it('simulates the shipped Sevensa config, with the reports in the current folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    const runsBefore = existsSync(join(ROOT, 'reports')) ? readdirSync(join(ROOT, 'reports')).length : 0;
    const r = await runCli(['demo', '--suite', 'smoke', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'No cutover config in this folder: the demo simulates the Sevensa platform with the config Cutover ships with; reports go to reports/',
    );
    const result = JSON.parse(r.stdout);
    expect(result.verdict).toBe('GO');
    expect(result.checks.failed).toBe(0);
    expect(result.reportDir).toMatch(/^reports\/\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(existsSync(join(dir, result.reportDir, 'report.html'))).toBe(true);
    const runsAfter = existsSync(join(ROOT, 'reports')) ? readdirSync(join(ROOT, 'reports')).length : 0;
    expect(runsAfter).toBe(runsBefore);
  });

  it('other commands still need a config: exit 2 with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    const r = await runCli(['run', '--suite', 'smoke'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no config file in ${dir}`);
    const missing = await runCli(['demo', '--config', 'nope.config.ts'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('config file not found: nope.config.ts');
  });
});
