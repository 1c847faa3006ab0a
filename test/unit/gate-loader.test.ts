// Loading a project's own gates, sign-offs and waivers: TypeScript gate files importing from
// 'cutover', helpers skipped, and every broken file named in a usage error (exit 2).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/load.js';
import { UserError } from '../../src/core/errors.js';
import { loadGateSetup, selectGates } from '../../src/engine/gate-loader.js';
import { tmpDir } from '../helpers/project.js';

function project(files: Record<string, string>): { config: ResolvedConfig; dir: string } {
  const dir = tmpDir('gate-loader');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, config: { rootDir: dir } as ResolvedConfig };
}

async function failure(files: Record<string, string>): Promise<UserError> {
  const { config, dir } = project(files);
  try {
    await loadGateSetup(config, dir);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('loading gates', () => {
  it('without gates of its own a project gets the built-in phase gates', async () => {
    const { config, dir } = project({});
    const setup = await loadGateSetup(config, dir);
    expect(setup.gates.map((g) => g.spec.id)).toContain('3-rentguy');
    expect(selectGates(setup, ['3'], '--phase').only).toEqual([
      '3-rentguy',
      '3-rentguy-browser',
      '3-psra',
      '3-wpcs',
      '3-ai',
    ]);
    expect(() => selectGates(setup, ['7'], '--phase')).toThrow(/^--phase 7: no such gate/);
    expect(() => selectGates(setup, ['42'], '--gate')).toThrow(
      /^--gate 42: no such gate; known: smoke, performance, 1, 2, /,
    );
  });

  it("reads TypeScript gates importing defineGate from 'cutover', skipping helpers", async () => {
    const { config, dir } = project({
      'gates/limits.ts': 'export const P95 = 250;\n',
      'gates/mine.ts': `import { defineGate } from 'cutover';\nimport { P95 } from './limits';\nexport default defineGate({ id: 'mine', phase: 3, title: 'mine', criteria: [{ id: 'lat', title: 'latency', serves: 2, expr: \`http_req_duration: p(95)<\${P95}\` }] });\n`,
      'gates/attestations/rehearsal.json': JSON.stringify({
        by: 'A. Jansen',
        date: '2026-11-20',
        note: 'done',
      }),
      'gates/waivers/lat.json': JSON.stringify({
        criterion: 'mine/lat',
        owner: 'B',
        reason: 'r',
        expires: '2026-12-01',
      }),
    });
    const setup = await loadGateSetup(config, dir);
    expect(setup.gates.map((g) => g.spec.id)).toEqual(['mine']);
    expect(setup.gates[0]!.criteria[0]!.rule).toMatchObject({ threshold: 250 });
    expect(setup.attestations).toEqual([expect.objectContaining({ name: 'rehearsal', by: 'A. Jansen' })]);
    expect(setup.waivers).toEqual([expect.objectContaining({ criterion: 'mine/lat' })]);
  });

  it('names the file and the problem for every broken input', async () => {
    const bad = await failure({
      'gates/g.mjs':
        "export default { id: 'g', phase: 3, title: 't', criteria: [{ id: 'x', title: 'x', serves: 9, expr: 'smoke.failed == zero' }] };\n",
    });
    expect(bad.message).toContain('gates/g.mjs');
    expect(bad.details).toEqual([
      "criterion x: serves must be the plan's success criterion 1..6",
      'criterion x: "zero" is not a number',
    ]);
    const syntax = await failure({ 'gates/s.ts': 'export default {\n' });
    expect(syntax.message).toContain('could not load gate file gates/s.ts');
    const missing = await failure({ 'gates/m.ts': "import x from './shared.js';\nexport default x;\n" });
    expect(missing.message).toBe(
      "could not load gate file gates/m.ts: cannot find module './shared.js', imported by gates/m.ts",
    );
    const dup = await failure({
      'gates/a.mjs':
        "export default { id: 'a', phase: 1, title: 't', criteria: [{ id: 'x', title: 'x', serves: 1, expr: 'smoke.failed == 0' }] };\n",
      'gates/b.mjs':
        "export default [{ id: 'a', phase: 1, title: 't', criteria: [{ id: 'x', title: 'x', serves: 1, expr: 'smoke.failed == 0' }] }];\n",
    });
    expect(dup.message).toContain('duplicate gate id a');
    const att = await failure({ 'gates/attestations/r.json': JSON.stringify({ by: '', date: 'yesterday' }) });
    expect(att.message).toContain('gates/attestations/r.json is invalid');
    expect(att.details.join(' ')).toMatch(/date: expected an ISO date/);
    const waiver = await failure({ 'gates/waivers/w.json': '{ not json' });
    expect(waiver.message).toContain('gates/waivers/w.json is not valid JSON');
    expect(waiver.exitCode).toBe(2);
  });
});
