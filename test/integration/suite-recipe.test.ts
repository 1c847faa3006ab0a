// docs/architecture.md's recipe for adding a suite, followed by a fixture suite (test/fixtures/
// suite-recipe/uptime): its folder has the four files, its imports keep to src/suites/DEPS.list as if it
// lived in src/suites/uptime/, one registry entry makes a run plan and run it, and a gate reads its
// evidence through the criterion grammar unchanged — the verdict following what the suite saw.
import { readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseGate } from '../../src/core/gates/parse.js';
import { execute } from '../../src/engine/execute.js';
import { SUITES } from '../../src/engine/suites.js';
import { uptimeSuite } from '../fixtures/suite-recipe/uptime/run.js';
import { allowedBy, relativeImports } from '../helpers/deps.js';
import { freePort, ROOT, tmpDir } from '../helpers/project.js';

const FOLDER = join(ROOT, 'test/fixtures/suite-recipe/uptime');

let targetStatus = 200;
const servers: Server[] = [];
const ports: number[] = [];
beforeAll(async () => {
  for (const side of ['baseline', 'target']) {
    const port = await freePort();
    const server = createServer((_q, res) => {
      res.writeHead(side === 'target' ? targetStatus : 200).end('ok');
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    servers.push(server);
    ports.push(port);
  }
});
afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

async function run() {
  const dir = tmpDir('suite-recipe');
  writeFileSync(
    join(dir, 'cutover.config.mjs'),
    `export default ${JSON.stringify({
      project: 'recipe',
      environments: {
        baseline: {
          kind: 'compose',
          composeFile: 'compose.yml',
          services: { api: { url: `http://127.0.0.1:${ports[0]}` } },
        },
        target: {
          kind: 'kubernetes',
          context: 'c',
          namespaces: ['n'],
          services: { api: { url: `http://127.0.0.1:${ports[1]}` } },
        },
      },
      services: { api: { tier: 'application', phase: 3, health: { path: '/' } } },
    })};\n`,
  );
  const config = await loadConfig(dir);
  const gate = parseGate({
    id: 'up',
    phase: 3,
    title: 'Up',
    criteria: [{ id: 'uptime', title: 'answers', serves: 1, expr: 'uptime{service:api}.failed == 0' }],
  });
  return execute({
    config,
    command: 'run',
    runId: `recipe-${Math.random().toString(36).slice(2, 8)}`,
    nodeVersion: process.version,
    selection: { suites: ['uptime'] },
    suiteOptions: { uptime: { tries: 2 } },
    registry: [...SUITES, { id: 'uptime', byDefault: false, load: async () => uptimeSuite }],
    gates: { gates: [gate], attestations: [], waivers: [], only: ['up'], allDecide: true },
  });
}

describe('adding a suite, by the recipe', () => {
  it('has the four files of the suite shape', () => {
    expect(readdirSync(FOLDER).sort()).toEqual(['define.ts', 'evidence.ts', 'plan.ts', 'run.ts']);
  });

  it('imports only what src/suites/DEPS.list allows a suite, as if it lived in src/suites/uptime', () => {
    const asIfIn = join(ROOT, 'src/suites/uptime');
    const outside = readdirSync(FOLDER)
      .flatMap((f) => relativeImports(join(FOLDER, f)))
      .filter((target) => relative(FOLDER, target).startsWith('..'))
      .map((target) =>
        join(ROOT, relative(join(ROOT, 'test/fixtures/suite-recipe'), target).replace(/^(\.\.\/)+/, '')),
      )
      .filter((target) => !allowedBy(join(ROOT, 'src/suites/DEPS.list'), asIfIn, target))
      .map((t) => relative(ROOT, t));
    expect(outside).toEqual([]);
  });

  it('one registry entry runs it, and a gate reads its evidence with the criterion grammar as it is', async () => {
    targetStatus = 200;
    const healthy = await run();
    expect(healthy.record.suites).toEqual(['uptime']);
    expect(healthy.record.checks.map((c) => `${c.environment} ${c.check} ${c.status}`)).toEqual([
      'baseline uptime pass',
      'target uptime pass',
    ]);
    expect(healthy.verdict).toBe('GO');
    targetStatus = 503;
    const broken = await run();
    expect(broken.verdict).toBe('NO-GO');
    expect(broken.gates[0]!.criteria[0]!.reason).toMatch(/api uptime: 0 of 2 answers 2xx \(got 503, 503\)/);
  });
});
