// docs/first-hour.md works as written: its Compose file and manifests, copied into a project folder
// outside the repository, and every `$ cutover …` command of the page run in order through the real
// CLI against a small loopback orders API (baseline and target), each printing the lines the page shows.
// What the test adapts, as a reader on their own machine would: the baseline's published port and the
// target's address are this test's free loopback ports (the target serves plain HTTP here), and the run
// ids and timings are the ones this run produced.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, runCli } from '../helpers/project.js';

const page = readFileSync(join(ROOT, 'docs', 'first-hour.md'), 'utf8');

/** The page's files, by the name in their first line (`# docker-compose.yml`). */
const files = Object.fromEntries(
  [...page.matchAll(/```yaml\n# (\S+)\n([\s\S]*?)```/g)].map((m) => [m[1]!, `# ${m[1]}\n${m[2]}`]),
);

/** Each `$ cutover …` command of the page with the output lines shown under it. */
const commands = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => {
  const [first, ...output] = m[1]!.trimEnd().split('\n');
  return {
    args: first!.replace(/^\$ cutover /, '').split(' '),
    output: output.filter((l) => l && l !== '…'),
  };
});

const RUN_ID = /\d{8}-\d{6}-[0-9a-f]{4}/g;
const normal = (s: string) => s.replace(RUN_ID, 'RUN').replace(/\d+\.\d+ ms/g, 'N ms');

function healthServer(): Server {
  return createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
  });
}

describe('docs/first-hour.md, followed as written', () => {
  const servers = { baseline: healthServer(), target: healthServer() };
  const ports = { baseline: 0, target: 0 };
  let dir = '';

  beforeAll(async () => {
    ports.baseline = await freePort();
    ports.target = await freePort();
    for (const side of ['baseline', 'target'] as const)
      await new Promise<void>((done) => servers[side].listen(ports[side], '127.0.0.1', done));
    dir = mkdtempSync(join(tmpdir(), 'cutover-first-hour-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text.replace('"8081:8000"', `"${ports.baseline}:8000"`));
    }
  });

  afterAll(async () => {
    for (const s of Object.values(servers)) s.closeAllConnections();
    await Promise.all(Object.values(servers).map((s) => new Promise((done) => s.close(done))));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every command of the page, in order, with the output it shows', async () => {
    expect(Object.keys(files).sort()).toEqual(['docker-compose.yml', 'k8s/orders.yaml']);
    expect(commands.map((c) => c.args.slice(0, 2).join(' '))).toEqual([
      'init --compose',
      'init --compose',
      'doctor',
      'run --suite',
      'gate --phase',
      'report 20261207-085057-fcde',
    ]);
    const urls = {
      'http://127.0.0.1:8081': `http://127.0.0.1:${ports.baseline}`,
      'https://orders.staging.example.com': `http://orders.staging.example.com:${ports.target}`,
    };
    let runId = '';
    for (const { args, output } of commands) {
      const r = await runCli(
        args.map((a) => a.replace(RUN_ID, runId)),
        { cwd: dir },
      );
      const printed = normal(`${r.stdout}\n${r.stderr}`);
      expect(r.code, `cutover ${args.join(' ')}\n${r.stderr}`).toBe(0);
      for (const line of output) {
        const expected = Object.entries(urls).reduce((l, [from, to]) => l.replace(from, to), line);
        expect(printed, `cutover ${args.join(' ')}`).toContain(normal(expected));
      }
      if (args.includes('--dry-run')) {
        expect(r.stdout).toMatch(/^export default defineConfig\(\{$/m);
        expect(readdirSync(dir).sort()).toEqual(['docker-compose.yml', 'k8s']);
      } else if (args[0] === 'init') settleTodos();
      if (args[0] === 'run') runId = /Recording to reports\/(\S+)/.exec(r.stderr)![1]!;
    }
  }, 120_000);

  /** Section 3's edits: the context and the pin the page shows; the pin's address and the target URL are this test's. */
  function settleTodos(): void {
    const file = join(dir, 'cutover.config.ts');
    const edits = /```ts\n([\s\S]*?)```/.exec(page.slice(page.indexOf('## 3. Settle the TODOs')))![1]!;
    const context = /context: '[^']+',/.exec(edits)![0];
    const pin = /resolve: \{ '([^']+)': '[^']+' \},/.exec(edits)!;
    let source = readFileSync(file, 'utf8');
    expect(source).toContain("context: 'TODO',");
    expect(source).toContain("'orders-api': { url: 'https://orders.staging.example.com' }");
    source = source.replace("context: 'TODO',", context);
    const target = source.indexOf('target: {');
    source =
      source.slice(0, target) +
      source
        .slice(target)
        .replace('resolve: {},', `resolve: { '${pin[1]}': '127.0.0.1' },`)
        .replace(
          "'https://orders.staging.example.com'",
          `'http://orders.staging.example.com:${ports.target}'`,
        );
    writeFileSync(file, source);
  }
});
