// `cutover init` as a new user meets it, in a project folder outside the repository: on the public
// Compose fixtures (Traefik's user guide, kompose's WordPress pair) and on the project's own deploy/
// pair (offline from manifests, and from a cluster through the stand-in API server). The config it
// writes loads and its smoke suite runs at once: the public fixtures' hosts are pinned to loopback
// ports nothing listens on (runs and records failures to connect, no traffic leaves the machine); the
// deploy pair's generated health paths pass against the simulated platform.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import { startKubeSim, writeKubeconfig } from '../../sim/kube/index.js';
import { loadManifestDir } from '../../sim/kube/platform.js';
import { simListeners } from '../../src/engine/sim-listeners.js';
import { freePort, makeSimProject, ROOT, runCli, type SimProject } from '../helpers/project.js';

const F = join(ROOT, 'test/fixtures');
const project = () => mkdtempSync(join(tmpdir(), 'cutover-init-'));

/** The `url: '…'` of each service of one environment in a generated config's text. */
function urls(source: string, env: 'baseline' | 'target'): Record<string, string> {
  const block = source.split(/^ {4}(?:baseline|target): \{$/m)[env === 'baseline' ? 1 : 2]!;
  const services = block.slice(0, block.indexOf('\n    },'));
  return Object.fromEntries(
    [...services.matchAll(/^ {8}'?([a-z0-9-]+)'?: \{ url: '([^']+)' \}/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

/** Every host of the config pinned to 127.0.0.1 on a port nothing listens on: the suite runs, offline. */
async function offline(source: string): Promise<string> {
  let out = source;
  for (const env of ['baseline', 'target'] as const) {
    const pins: string[] = [];
    for (const url of Object.values(urls(source, env))) {
      const u = new URL(url);
      const closed = new URL(url);
      closed.port = String(await freePort());
      out = out.replace(`url: '${url}'`, `url: '${closed.toString().replace(/\/$/, '')}'`);
      if (u.hostname !== '127.0.0.1') pins.push(`'${u.hostname}': '127.0.0.1'`);
    }
    out = out.replace(/resolve: \{\},/, `resolve: { ${pins.join(', ')} }, // pinned`);
  }
  return out;
}

describe('cutover init on the public Compose fixtures', () => {
  it.each([
    ['compose/traefik-acme-tls-docker-compose.yml', undefined],
    ['manifests/kompose-wordpress-compose.yaml', 'manifests/kompose-wordpress-output-k8s.yaml'],
  ])(
    '%s: a config that loads, TODOs named, and a smoke suite that runs',
    async (file, manifests) => {
      const dir = project();
      copyFileSync(join(F, file), join(dir, 'docker-compose.yml'));
      const args = [
        'init',
        '--compose',
        'docker-compose.yml',
        ...(manifests ? ['-f', join(F, manifests)] : []),
      ];
      const r = await runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^cutover\.config\.ts: \d+ services?; URLs for \d+ on the baseline/m);
      expect(r.stderr).toMatch(/TODO \(\d+, marked in the file\)/);
      const source = readFileSync(join(dir, 'cutover.config.ts'), 'utf8');
      expect(source).toMatch(/^import \{ defineConfig \} from 'cutover';$/m);
      expect(source).toContain("composeFile: './docker-compose.yml'");
      expect(existsSync(join(dir, 'suites/README.md'))).toBe(true);
      expect(readFileSync(join(dir, 'gates/healthy.ts'), 'utf8')).toMatch(/expr: 'smoke.failed == 0'/);
      // Secrets in the Compose environment never reach the config.
      expect(source).not.toMatch(/somewordpress|MYSQL_ROOT_PASSWORD|postmaster@example.com/);

      // It loads as written (history reads the config and nothing else)...
      const loads = await runCli(['history'], { cwd: dir });
      expect(loads.code, loads.stderr).toBe(0);
      // ...and its smoke suite runs and records, here with every host pinned to a closed loopback port.
      writeFileSync(join(dir, 'cutover.config.ts'), await offline(source));
      const run = await runCli(['run', '--suite', 'smoke', '--json'], { cwd: dir });
      expect([1, 3], run.stderr).toContain(run.code);
      const summary = JSON.parse(run.stdout) as {
        checks: { total: number; failed: number };
        reportDir: string;
      };
      expect(summary.checks.total).toBeGreaterThan(0);
      const record = JSON.parse(readFileSync(join(dir, summary.reportDir, 'run.json'), 'utf8')) as {
        checks: { check: string; status: string; reason: string }[];
      };
      expect(record.checks.find((c) => c.check === 'reachable')?.status).toBe('fail');
    },
    60_000,
  );

  it('the Traefik guide: the routed service on its Host() with TLS; wordpress on its published port; db left out', async () => {
    const traefik = await runCli(
      ['init', '--compose', join(F, 'compose/traefik-acme-tls-docker-compose.yml'), '--dry-run'],
      { cwd: project() },
    );
    expect(urls(traefik.stdout, 'baseline')).toEqual({
      traefik: 'http://127.0.0.1:8080',
      whoami: 'https://whoami.example.com',
    });
    const wp = await runCli(
      [
        'init',
        '--compose',
        join(F, 'manifests/kompose-wordpress-compose.yaml'),
        '-f',
        join(F, 'manifests/kompose-wordpress-output-k8s.yaml'),
        '--dry-run',
      ],
      { cwd: project() },
    );
    expect(urls(wp.stdout, 'baseline')).toEqual({ wordpress: 'http://127.0.0.1:8000' });
    expect(urls(wp.stdout, 'target')).toEqual({});
    expect(wp.stdout).toMatch(
      /TODO wordpress \(target\): no target URL: Service default\/wordpress is ClusterIP only/,
    );
    expect(wp.stdout).toMatch(/\/\/ db \(mysql:5.7\): left out, port 3306 speaks no HTTP/);
  });
});

describe('cutover init as a careful generator', () => {
  it('--dry-run prints and writes nothing; an existing config stays unless --force; unknown --context is exit 2', async () => {
    const dir = project();
    const compose = join(F, 'manifests/kompose-wordpress-compose.yaml');
    const dry = await runCli(['init', '--compose', compose, '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/export default defineConfig\(\{/);
    expect(dry.stderr).toMatch(/dry run: nothing written/);
    expect(readdirSync(dir)).toEqual([]);

    writeFileSync(join(dir, 'cutover.config.mjs'), 'export default {};\n');
    const refused = await runCli(['init', '--compose', compose], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cutover\.config\.mjs already exists; nothing was written/);
    expect(refused.stderr).toMatch(/--force replaces it/);
    expect(existsSync(join(dir, 'cutover.config.ts'))).toBe(false);
    const forced = await runCli(['init', '--compose', compose, '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'cutover.config.ts'), 'utf8')).toMatch(/wordpress/);

    const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), {
      server: `http://127.0.0.1:${await freePort()}`,
      context: 'staging',
    });
    const unknown = await runCli(
      ['init', '--compose', compose, '--context', 'prod', '--kubeconfig', kubeconfig, '--dry-run'],
      { cwd: dir },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--context prod: kubeconfig .* has no context "prod"; it has: staging/);
    const silent = await runCli(
      ['init', '--compose', compose, '--context', 'staging', '--kubeconfig', kubeconfig, '--dry-run'],
      { cwd: dir },
    );
    expect(silent.code).toBe(3);
    expect(silent.stderr).toMatch(/--context staging: .*cannot be reached/);
    const missing = await runCli(['init', '--compose', 'nope.yml'], { cwd: project() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--compose nope.yml: cannot read it \(ENOENT\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)/);
  });
});

describe('cutover init and the secrets a Compose file requires', () => {
  it('reads a required variable left unset with a placeholder, says so, and copies no value', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      [
        'services:',
        '  api:',
        '    image: acme/api',
        '    ports: ["3000:3000"]',
        '    environment:',
        // Compose's interpolation, not a template string of this file.
        `      DATABASE_URL: postgres://shop:$\{SHOP_DB_PASSWORD:?set it}@db/shop`,
        '      STRIPE_KEY: sk_live_do_not_copy',
        '',
      ].join('\n'),
    );
    const r = await runCli(['init', '--compose', 'docker-compose.yml', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /SHOP_DB_PASSWORD is required by docker-compose\.yml and not set: read with a placeholder/,
    );
    expect(r.stdout).toContain("api: { url: 'http://127.0.0.1:3000' }");
    expect(r.stdout).not.toMatch(/cutover-init-placeholder|sk_live|set it/);
  });
});

describe("cutover init on the project's own deploy/ pair", () => {
  let shipped: SimProject;
  let generated = '';
  beforeAll(async () => {
    shipped = await makeSimProject('init-shipped');
    const r = await runCli(
      [
        'init',
        '--compose',
        join(ROOT, 'deploy/docker-compose.yml'),
        '-f',
        join(ROOT, 'deploy/k8s'),
        '--dry-run',
      ],
      { cwd: project() },
    );
    expect(r.code, r.stderr).toBe(0);
    generated = r.stdout;
  });

  it('every shipped service, with the shipped health paths and target hosts; TODOs where deploy/ names no URL', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    const config = await loadConfig(ROOT);
    const ids = Object.keys(config.services).sort();
    const declared = [...generated.matchAll(/^ {4}'?([a-z0-9-]+)'?: \{$/gm)]
      .map((m) => m[1]!)
      .filter((id) => id !== 'baseline' && id !== 'target')
      .sort();
    expect(declared).toEqual(ids);
    for (const id of ids) {
      const path = new RegExp(`^ {4}'?${id}'?: \\{$[\\s\\S]*?health: \\{ path: '([^']+)' \\}`, 'm').exec(
        generated,
      )?.[1];
      expect(path, id).toBe(config.services[id]!.health.path);
    }
    // Target: the host of every service deploy/k8s exposes through an Ingress is the shipped config's
    // host (the shipped URLs add the simulator's port and plain HTTP); the rest are TODOs, not guesses.
    const target = urls(generated, 'target');
    expect(Object.keys(target).length).toBe(13);
    for (const [id, url] of Object.entries(target))
      expect(new URL(url).hostname, id).toBe(new URL(config.environments.target!.services[id]!.url).hostname);
    for (const id of ids.filter((i) => !target[i]))
      expect(generated).toMatch(
        new RegExp(`TODO ${id} \\(target\\): no target URL: Service \\S+ is ClusterIP only`),
      );
    // Baseline: deploy/docker-compose.yml publishes only Traefik's port 80; the others are TODOs.
    expect(urls(generated, 'baseline')).toEqual({ traefik: 'http://127.0.0.1' });
    expect(generated).toMatch(
      /namespaces: \['sevensa-infra', 'sevensa-monitoring', 'sevensa-apps', 'sevensa-ai'\]/,
    );
    expect(generated).toMatch(
      /Left out \(Compose profile not enabled; cutover init --profile NAME\): mailpit \[dev\]/,
    );
  });

  it('from the cluster (--context, namespaces discovered) it writes the same services and URLs', async () => {
    const kube = await startKubeSim({ objects: loadManifestDir(join(ROOT, 'deploy/k8s')) });
    try {
      const dir = project();
      const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), {
        server: kube.url,
        context: 'sevensa-prod',
      });
      const r = await runCli(
        [
          'init',
          '--compose',
          join(ROOT, 'deploy/docker-compose.yml'),
          '--context',
          'sevensa-prod',
          '--kubeconfig',
          kubeconfig,
        ],
        { cwd: dir },
      );
      expect(r.code, r.stderr).toBe(0);
      const source = readFileSync(join(dir, 'cutover.config.ts'), 'utf8');
      expect(urls(source, 'target')).toEqual(urls(generated, 'target'));
      expect(source).toContain("context: 'sevensa-prod',");
      expect(source).toContain("kubeconfig: './kubeconfig',");
      expect(source).not.toMatch(/TODO target: the kubeconfig context/);
    } finally {
      await kube.stop();
    }
  });

  describe('its smoke suite on the simulated platform', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ listeners: simListeners(shipped.config, ['baseline', 'target']) });
    });
    afterAll(async () => sim?.stop());

    it('passes with the generated health paths once its URLs point at the simulator', async () => {
      // The generated config, with each URL it names moved to the simulator's port of that service
      // (plain HTTP, the target's hosts pinned as the shipped config pins them): the services, health
      // paths and hosts are the generator's own.
      let source = generated.replace(
        /composeFile: '[^']+'/,
        `composeFile: '${join(ROOT, 'deploy/docker-compose.yml')}'`,
      );
      for (const env of ['baseline', 'target'] as const)
        for (const [id, url] of Object.entries(urls(generated, env)))
          source = source.replace(
            `url: '${url}'`,
            `url: '${shipped.config.environments[env]!.services[id]!.url}'`,
          );
      source = source.replace(
        /(target: \{[\s\S]*?)resolve: \{\},/,
        "$1resolve: { '*.k8s.sevensa.test': '127.0.0.2' },",
      );
      const dir = project();
      writeFileSync(join(dir, 'cutover.config.ts'), source);
      const r = await runCli(['run', '--suite', 'smoke', '--json'], { cwd: dir });
      expect(r.code, r.stderr).not.toBe(2);
      const summary = JSON.parse(r.stdout) as { reportDir: string };
      const record = JSON.parse(readFileSync(join(dir, summary.reportDir, 'run.json'), 'utf8')) as {
        checks: { environment: string; service: string; check: string; status: string; reason: string }[];
      };
      const health = record.checks.filter((c) => c.check === 'health');
      expect(health).toHaveLength(14); // traefik on the baseline, 13 services on the target
      expect(health.filter((c) => c.status !== 'pass')).toEqual([]);
    }, 60_000);
  });
});
