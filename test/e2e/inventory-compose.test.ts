// End to end: `cutover inventory` on a Compose file that leans on YAML merge keys and required
// variables, in a project folder outside the repository. A `db` that is only `<<: *db` (postgres:16
// on 5432) against a MySQL 5.7 Deployment on 3306 must be reported different, never matched.
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation, not templates */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSimProject, ROOT, runCli } from '../helpers/project.js';

const MYSQL_57 = `apiVersion: apps/v1
kind: Deployment
metadata: {name: db, labels: {app: db}}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: mysql:5.7
          ports: [{containerPort: 3306}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 3306, targetPort: 3306}]
`;

type Inventory = {
  services: {
    name: string;
    status: string;
    differences: { field: string; compose?: string; kubernetes?: string }[];
  }[];
};

describe('cutover inventory with merge keys and required variables', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-'));
    writeFileSync(join(dir, 'k8s.yaml'), MYSQL_57);
    writeFileSync(
      join(dir, 'compose.yaml'),
      ['x-db: &db {image: postgres:16, ports: ["5432:5432"]}', 'services:', '  db: {<<: *db}', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'required.yaml'),
      'services:\n  db:\n    image: "mysql:${DB_TAG:?set DB_TAG to the MySQL version}"\n    ports: ["3306:3306"]\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the merged postgres:16 on 5432 as different from MySQL 5.7 on 3306, exit 1', async () => {
    const args = ['inventory', '--compose', 'compose.yaml', '--manifests', 'k8s.yaml'];
    const r = await runCli([...args, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const db = (JSON.parse(r.stdout) as Inventory).services.find((s) => s.name === 'db')!;
    expect(db.status).toBe('different');
    expect(db.differences.map((d) => d.field).sort()).toEqual(['image', 'ports']);
    expect(db.differences.find((d) => d.field === 'image')).toMatchObject({
      compose: 'postgres:16',
      kubernetes: 'mysql:5.7',
    });
    expect(db.differences.find((d) => d.field === 'ports')?.compose).toBe('5432→5432');

    const text = await runCli(args, { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^≠ db\s+different/m);
    expect(text.stdout).not.toMatch(/✓ db/);
  });

  it('an unset ${VAR:?message} is exit 2 naming the variable, its message and the file', async () => {
    const args = ['inventory', '--compose', 'required.yaml', '--manifests', 'k8s.yaml'];
    const r = await runCli(args, { cwd: dir, env: { DB_TAG: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--compose required.yaml: services.db.image: required variable DB_TAG is missing a value: set DB_TAG to the MySQL version',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');

    // set, it is read: mysql:5.7 on 3306 matches
    const set = await runCli(args, { cwd: dir, env: { DB_TAG: '5.7' } });
    expect(set.code, set.stdout + set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^✓ db\s+matched/m);
  });

  it('the security suite interpolates the baseline Compose file from the environment too', async () => {
    // the shipped platform files, with OpenBao's tag required from the environment
    const deploy = join(dir, 'deploy');
    cpSync(join(ROOT, 'deploy'), deploy, { recursive: true });
    const file = join(deploy, 'docker-compose.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('image: quay.io/openbao/openbao:2.1.0');
    writeFileSync(file, text.replace('openbao:2.1.0', 'openbao:${OPENBAO_TAG:?pin OpenBao}'));
    const p = await makeSimProject('inv-suite-env', (c) => {
      if ('composeFile' in c.environments.baseline!) c.environments.baseline.composeFile = file;
    });
    const run = async (env: Record<string, string | undefined>) => {
      const r = await runCli(['demo', '--suite', 'security', '--json'], {
        cwd: p.dir,
        env,
        timeoutMs: 90_000,
      });
      const { reportDir } = JSON.parse(r.stdout) as { reportDir: string };
      const evidence = (
        JSON.parse(readFileSync(join(p.dir, reportDir, 'run.json'), 'utf8')) as {
          evidence: { kind: string; scope?: string; status?: string; reason?: string; environment: string }[];
        }
      ).evidence;
      return evidence.find(
        (e) => e.kind === 'coverage' && e.scope === 'inventory' && e.environment === 'target',
      )!;
    };
    expect(await run({ OPENBAO_TAG: '2.1.0' })).toMatchObject({ status: 'complete' });
    const unset = await run({ OPENBAO_TAG: undefined });
    expect(unset.status).toBe('could-not-check');
    expect(unset.reason).toMatch(/required variable OPENBAO_TAG is missing a value: pin OpenBao/);
  });
});
