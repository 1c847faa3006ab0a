// The two kinds of scenario have two names at the package entry: `defineFlow` (integration) and
// `defineLoad` (performance). The old names still work and are marked, so the loaders can note them.
// The documentation's load example loads and bundles as written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as cutover from '../../src/index.js';
import { bundleK6Script } from '../../src/runners/k6/build.js';
import { importScenario } from '../../src/runners/load/scenario-loader.js';
import { ROOT } from '../helpers/project.js';

const load = {
  name: 'n',
  description: 'd',
  service: 's',
  executor: { executor: 'constant-vus' as const, vus: 1, duration: '1s' },
  requests: [{ weight: 1, method: 'GET' as const, path: '/' }],
};

/** The documentation's performance scenario example (README or docs/), as a user would copy it. */
function readmeExample(): string {
  const docs = existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs')).map((f) => join(ROOT, 'docs', f))
    : [];
  for (const file of [join(ROOT, 'README.md'), ...docs.filter((f) => f.endsWith('.md'))]) {
    const block = [...readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((code) => /define(Load|PerformanceScenario)\(/.test(code) && code.includes('requests:'));
    if (block) return block;
  }
  throw new Error('no defineLoad example in README.md or docs/');
}

const DEPRECATED = Symbol.for('cutover.deprecatedName');

describe('scenario names at the package entry', () => {
  it('declares a load scenario with defineLoad and an integration flow with defineFlow', () => {
    expect(cutover.defineLoad(load)).toBe(load);
    expect(cutover.defineFlow({ name: 'i', service: 's', steps: [] })).toMatchObject({
      $kind: 'cutover.scenario',
    });
    expect(cutover.form({ a: 'b' })).toEqual({ form: { a: 'b' } });
  });

  it('still takes the old names, marked so that the loaders note them', () => {
    const old = cutover.definePerformanceScenario({ ...load });
    expect((old as unknown as Record<symbol, unknown>)[DEPRECATED]).toBe('definePerformanceScenario');
    expect(Object.keys(old)).not.toContain(String(DEPRECATED));
    const flow = cutover.defineScenario({ name: 'i', service: 's', steps: [] });
    expect((flow as unknown as Record<symbol, unknown>)[DEPRECATED]).toBe('defineScenario');
    expect(
      (cutover.defineFlow({ name: 'i', service: 's', steps: [] }) as unknown as Record<symbol, unknown>)[
        DEPRECATED
      ],
    ).toBeUndefined();
  });

  it("loads and bundles the documentation's example from outside this package", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-readme-scenario-'));
    try {
      const file = join(dir, 'my-load.ts');
      writeFileSync(file, readmeExample());
      const scenario = await importScenario(file);
      expect(scenario.name).toBe('orders-read');
      expect(scenario.requests.map((r) => r.weight)).toEqual([3, 1]);
      const bundled = await bundleK6Script({ scenario, file });
      expect(bundled.imports).toEqual(['k6', 'k6/execution', 'k6/http']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
