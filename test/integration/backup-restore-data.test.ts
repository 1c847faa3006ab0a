// The restore drill verified with the data diff: the stand-in's Velero restores a real pg_dump of the
// live database into the scratch namespace's copy (a database named after it), and the suite compares
// that copy with the live database — equal passes; a restore that lost rows fails naming their keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKubeSim, startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { installVeleroSim, veleroFixtures } from '../../sim/kube/velero.js';
import type { CheckResult } from '../../src/core/model.js';
import {
  createScratchDatabase,
  dropScratchDatabase,
  dumpDatabase,
  restoreDump,
} from '../../src/runners/postgres/dump-restore.js';
import { backupSuite } from '../../src/suites/backup/run.js';
import type { SuiteContext } from '../../src/suites/suite.js';
import { type PostgresServer, sql, startPostgresServer } from '../helpers/postgres.js';
import { makeSimProject, tmpDir } from '../helpers/project.js';

let server: PostgresServer;
let kube: RunningKubeSim | undefined;

beforeAll(async () => {
  server = await startPostgresServer({ databases: ['rentguy'] });
  await sql(
    server.connectionTo('rentguy'),
    `CREATE TABLE equipment (id serial PRIMARY KEY, name text NOT NULL, day_rate numeric(10,2));
     CREATE TABLE bookings (id serial PRIMARY KEY, equipment_id int REFERENCES equipment(id), starts_at timestamptz);
     INSERT INTO equipment (name, day_rate) SELECT 'item ' || g, g * 2.5 FROM generate_series(1, 20) g;
     INSERT INTO bookings (equipment_id, starts_at) SELECT 1 + g % 20, '2025-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 100) g;`,
  );
});
afterAll(() => server?.stop());
afterEach(async () => {
  await kube?.stop();
  kube = undefined;
});

/** A stand-in Velero whose Restore restores a dump of the live database into a database named after the scratch namespace. */
async function startCluster(lose: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-velero-dump-'));
  kube = await startKubeSim({
    objects: veleroFixtures(Date.now(), [{ name: 'nightly-sevensa-apps', namespaces: ['sevensa-apps'] }]),
    setup: (cluster) => {
      installVeleroSim(cluster, {
        stepMs: 10,
        onRestore: async ({ to }) => {
          const file = join(dir, `${to}.dump`);
          const live = server.connectionTo('rentguy');
          const dumped = await dumpDatabase(live, file, { timeoutMs: 30_000 });
          if (!dumped.ok) throw new Error(dumped.reason);
          const made = await createScratchDatabase(live, to);
          if (!made.ok) throw new Error(made.reason);
          const restored = await restoreDump({ ...live, database: to }, file, { timeoutMs: 30_000 });
          if (!restored.ok) throw new Error(restored.reason);
          // A backup that missed rows: the restored copy lacks the last `lose` bookings.
          if (lose) await sql(server.connectionTo(to), `DELETE FROM bookings WHERE id > ${100 - lose}`);
          return { errors: 0, warnings: 0, items: 2 };
        },
      });
      // Deleting the scratch namespace deletes its database, as deleting a restored pod's PVC would.
      cluster.on('Namespace', (event) => {
        if (event.type === 'DELETED') void dropScratchDatabase(server.connection, event.object.metadata.name);
      });
    },
  });
  return () => rmSync(dir, { recursive: true, force: true });
}

async function runDrill(name: string): Promise<CheckResult[]> {
  const kubeconfig = writeKubeconfig(join(tmpDir(name), 'kubeconfig'), {
    server: kube!.url,
    context: 'sevensa-prod',
  });
  const db = {
    host: server.connection.host,
    port: server.connection.port,
    user: server.connection.user,
    passwordEnv: 'PG_PW',
  };
  const p = await makeSimProject(name, (c) => {
    (c.environments.target as { kubeconfig?: string }).kubeconfig = kubeconfig;
    (c as { backup?: unknown }).backup = {
      schedules: [
        {
          schedule: 'nightly-sevensa-apps',
          covers: ['rentguy-api'],
          verify: [
            {
              name: 'rentguy-db',
              live: { ...db, database: 'rentguy' },
              restored: { ...db, database: '{namespace}' },
              timeoutSeconds: 30,
            },
          ],
        },
      ],
      restoreDrill: { enabled: true, timeoutSeconds: 30 },
    };
  });
  const checks: CheckResult[] = [];
  const ctx: SuiteContext = {
    config: p.config,
    environments: ['target'],
    services: Object.keys(p.config.services),
    runId: '20261207-050000-test',
    now: () => new Date(),
    faults: [],
    env: { PG_PW: server.connection.password },
    options: { backup: { pollMs: 20 } },
    log: () => undefined,
    check: (c) => checks.push(c),
    evidence: () => undefined,
  };
  await backupSuite.run(ctx, await backupSuite.plan(ctx));
  return checks;
}

describe('the restore drill with the data diff', () => {
  it('a restore of a real dump equals the live database, and its copy is gone afterwards', async () => {
    const done = await startCluster(0);
    try {
      const checks = await runDrill('restore-data-equal');
      expect(checks.find((c) => c.check === 'restore-drill:nightly-sevensa-apps')?.status).toBe('pass');
      const data = checks.find((c) => c.check === 'restore-data:rentguy-db')!;
      expect(data).toMatchObject({ service: 'rentguy-api', status: 'pass' });
      expect(data.reason).toMatch(
        /^the restored rentguy-db \(127\.0\.0\.1:\d+\/cutover-drill-sevensa-apps\) equals the live database: 2 tables, 120 rows, same schema$/,
      );
      await expect
        .poll(
          async () =>
            (await sql(server.connection, "SELECT 1 FROM pg_database WHERE datname LIKE 'cutover-drill%'"))
              .rowCount,
        )
        .toBe(0);
    } finally {
      done();
    }
  });

  it('a restore that lost rows fails, naming the missing keys', async () => {
    const done = await startCluster(5);
    try {
      const checks = await runDrill('restore-data-lost');
      const data = checks.find((c) => c.check === 'restore-data:rentguy-db')!;
      expect(data.status).toBe('fail');
      expect(data.reason).toMatch(
        /differs from the live database: public\.bookings: 100 rows live, 95 restored; 5 missing from the restore \(id=96, id=97, id=98\)/,
      );
    } finally {
      done();
    }
  });
});
