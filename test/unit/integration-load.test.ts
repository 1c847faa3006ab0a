// Which scenarios a config runs: built-ins only where asked for and where their services exist, user
// files with every mistake named, duplicate names refused, tag filters applied.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { loadScenarios } from '../../src/suites/integration/plan.js';
import { ROOT, tmpDir } from '../helpers/project.js';

function config(dir: string, extra: object, services: string[] = ['api', 'openbao']) {
  const urls = Object.fromEntries(services.map((id, i) => [id, { url: `http://127.0.0.1:${20000 + i}` }]));
  return validateConfig(
    {
      project: 'p',
      environments: {
        baseline: { kind: 'compose', composeFile: 'x.yml', services: urls },
        target: { kind: 'kubernetes', context: 'c', namespaces: ['n'], services: urls },
      },
      services: Object.fromEntries(
        services.map((id) => [id, { tier: 'application', phase: 3, health: { path: '/h' } }]),
      ),
      ...extra,
    },
    'cutover.config.ts',
    dir,
  );
}

const scenario = (name: string, service = 'api', tags: string[] = []) =>
  `export const ${name.replace(/-/g, '_')} = { $kind: 'cutover.scenario', name: '${name}', service: '${service}', tags: ${JSON.stringify(tags)}, steps: [{ name: 's', request: { method: 'GET', path: '/x' } }] };\n`;

describe('loadScenarios', () => {
  it('runs built-ins only when asked for, and only those whose services the config has', async () => {
    const dir = tmpDir('load-builtin');
    expect((await loadScenarios(config(dir, {}))).scenarios).toEqual([]);
    const asked = await loadScenarios(config(dir, { integration: { builtin: true } }));
    expect(asked.scenarios.map((s) => s.scenario.name)).toEqual(['openbao-status']);
    expect(asked.skipped.some((s) => /^rentguy-booking: service rentguy-api not in the config/.test(s))).toBe(
      true,
    );
    expect(asked.problems).toEqual([]);
  });

  it('loads a flow declared with the old name defineScenario, and notes the name', async () => {
    const dir = tmpDir('load-old-name');
    const api = join(ROOT, 'src/index.ts');
    writeFileSync(
      join(dir, 'old.ts'),
      `import { defineScenario } from '${api}';\nexport const old = defineScenario({ name: 'old', service: 'api', steps: [{ name: 's', request: { method: 'GET', path: '/x' } }] });\n`,
    );
    writeFileSync(
      join(dir, 'new.ts'),
      `import { defineFlow } from '${api}';\nexport const fresh = defineFlow({ name: 'fresh', service: 'api', steps: [{ name: 's', request: { method: 'GET', path: '/x' } }] });\n`,
    );
    const out = await loadScenarios(config(dir, { integration: { scenarios: ['old.ts', 'new.ts'] } }));
    expect(out.problems).toEqual([]);
    expect(out.scenarios.map((s) => s.scenario.name)).toEqual(['old', 'fresh']);
    expect(out.notes).toEqual([
      'old.ts: defineScenario is the old name of defineFlow (integration flows); it still works — rename it when you next edit the file',
    ]);
  });

  it('names problems in user files and applies the tag filter', async () => {
    const dir = tmpDir('load-user');
    writeFileSync(
      join(dir, 'a.mjs'),
      scenario('orders', 'api', ['shop']) + scenario('stock', 'api', ['ops']),
    );
    writeFileSync(join(dir, 'b.mjs'), scenario('orders') + scenario('ghost', 'nowhere'));
    writeFileSync(join(dir, 'c.mjs'), 'export const helper = 1;\n');
    writeFileSync(join(dir, 'd.mjs'), 'export default {{ broken\n');
    const out = await loadScenarios(
      config(dir, {
        integration: { scenarios: ['a.mjs', 'b.mjs', 'c.mjs', 'd.mjs', 'e.mjs'], tags: ['shop'] },
      }),
    );
    expect(out.scenarios.map((s) => `${s.source}:${s.scenario.name}`)).toEqual(['a.mjs:orders']);
    expect(out.skipped).toEqual(['stock: no tag among shop']);
    const text = out.problems.join('\n');
    expect(text).toMatch(/b\.mjs: scenario "orders" is defined twice/);
    expect(text).toMatch(/b\.mjs: scenario "ghost" uses service nowhere, which is not under services/);
    expect(text).toMatch(/integration\.scenarios\[2\] \(c\.mjs\): exports no flow/);
    expect(text).toMatch(/integration\.scenarios\[3\] \(d\.mjs\): could not load/);
    expect(text).toMatch(/integration\.scenarios\[4\] \(e\.mjs\): file not found/);
  });

  it('reads an unordered key and literal paths, and names a key that is not one field', async () => {
    const dir = tmpDir('load-parity');
    const withParity = (name: string, parity: object) =>
      `export const ${name} = { name: '${name}', service: 'api', parity: ${JSON.stringify(parity)}, steps: [{ name: 's', request: { method: 'GET', path: '/x' } }] };\n`;
    writeFileSync(
      join(dir, 'p.mjs'),
      withParity('good', {
        normalise: [{ kind: 'unordered', paths: ['data.activeTargets'], key: 'labels.instance' }],
        literal: ['data.activeTargets[*].labels'],
      }) + withParity('bad', { normalise: [{ kind: 'unordered', key: 'labels[*]' }], literal: ['a..b['] }),
    );
    const out = await loadScenarios(config(dir, { integration: { scenarios: ['p.mjs'] } }));
    expect(out.scenarios.map((s) => s.scenario.name)).toEqual(['good']);
    const text = out.problems.join('\n');
    expect(text).toMatch(/parity\.normalise\[0\]\.key: expected a field of an element/);
    expect(text).toMatch(/parity\.literal\[0\]: cannot read this path pattern/);
  });
});
