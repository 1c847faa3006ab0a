// Text from responses cannot rewrite the report, end to end: a project of its own outside the repository,
// whose service (a small loopback server started here) answers its health check and its integration
// scenario with right-to-left overrides, isolates, zero-width and other invisible format characters.
// The console, report.md, report.html, report.junit.xml, report.json and the GitHub step summary show
// them as escapes; none carries one raw.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { HOSTILE, RAW_HIDDEN } from '../helpers/gate-record.js';
import { ROOT, runCli } from '../helpers/project.js';

const servers: Server[] = [];
let dir = '';

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One side of the service: the target's answers carry the hostile characters. */
function service(hostile: boolean): Promise<string> {
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/health') return send({ status: hostile ? `healthy${HOSTILE}` : 'healthy' });
    if (req.url === '/items')
      return send(
        hostile
          ? { name: `widget ${HOSTILE}`, [`key${HOSTILE}`]: 1, price: 17.5 }
          : { name: 'widget', price: '17.5' },
      );
    res.writeHead(404).end();
  });
  servers.push(server);
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
    ),
  );
}

function rawIn(name: string, text: string): string[] {
  return [...text.matchAll(new RegExp(RAW_HIDDEN, 'gu'))].map(
    (m) =>
      `${name}: U+${m[0].codePointAt(0)!.toString(16).toUpperCase()} after "${text.slice(Math.max(0, m.index - 40), m.index)}"`,
  );
}

describe('a service whose answers carry bidi and invisible format characters', () => {
  it('shows them as escapes on the console and in every report file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-hostile-'));
    const [baseline, target] = [await service(false), await service(true)];
    writeFileSync(
      join(dir, 'cutover.config.mjs'),
      `export default ${JSON.stringify({
        project: 'shop',
        environments: {
          baseline: {
            kind: 'compose',
            composeFile: './docker-compose.yml',
            services: { api: { url: baseline } },
          },
          target: {
            kind: 'kubernetes',
            context: 'shop',
            namespaces: ['shop'],
            services: { api: { url: target } },
          },
        },
        services: {
          api: { tier: 'application', phase: 3, health: { path: '/health', json: { status: 'healthy' } } },
        },
        integration: { scenarios: ['./items.scenario.mjs'] },
      })};\n`,
    );
    writeFileSync(
      join(dir, 'items.scenario.mjs'),
      `export default { name: 'items', service: 'api', steps: [{ name: 'list', request: { method: 'GET', path: '/items' } }] };\n`,
    );
    const summaryFile = join(dir, 'step-summary.md');
    const r = await runCli(['run', '--suite', 'smoke,integration'], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summaryFile },
      timeoutMs: 60_000,
    });
    const reportDir = /^Report: (.+)$/m.exec(r.stdout)?.[1];
    expect(reportDir, `${r.stdout}\n${r.stderr}`).toBeDefined();
    expect(r.code).toBe(1); // the target is unhealthy and differs: NO-GO
    const read = (name: string) => readFileSync(join(dir, reportDir!, name), 'utf8');
    const outputs: Record<string, string> = {
      stdout: r.stdout,
      stderr: r.stderr,
      'report.md': read('report.md'),
      'report.html': read('report.html'),
      'report.junit.xml': read('report.junit.xml'),
      'report.json': read('report.json'),
      'step summary': readFileSync(summaryFile, 'utf8'),
    };
    expect(Object.entries(outputs).flatMap(([name, text]) => rawIn(name, text))).toEqual([]);
    // The evidence is there, its hidden characters visible: the health payload on the console, the
    // integration answer in every report.
    expect(r.stdout).toContain('healthyok\\u202Aa\\u202Bb');
    expect(r.stderr).toMatch(/FAIL {2}smoke target\/api health: .*\\u202E/);
    for (const name of ['report.md', 'report.html', 'step summary'])
      expect(outputs[name], name).toContain('\\u202Ee\\u2066f');
    expect(outputs['report.md']).toContain('| `["keyok\\u202Aa');
    expect(outputs['report.md']).toContain('| `price` | type | "17.5" | 17.5 |');
    // report.json keeps the exact strings, written as JSON escapes.
    const report = JSON.parse(outputs['report.json']!);
    const diffs = report.parity.flatMap(
      (p: { differences: { path: string; target: unknown }[] }) => p.differences,
    );
    expect(diffs.map((d: { target: unknown }) => d.target)).toContain(`widget ${HOSTILE}`);
    // run.json is the record, not a report: it keeps the strings as the run saw them.
    expect(read('run.json')).toContain(HOSTILE);
  }, 90_000);

  it('cutover security kube-bench: the texts of an imported file are shown as escapes too', async () => {
    const bench = JSON.parse(
      readFileSync(join(ROOT, 'test/fixtures/kube-bench/eks-1.0-legacy-array.json'), 'utf8'),
    );
    const result = bench[0].tests[0].results[0];
    Object.assign(result, {
      status: 'FAIL',
      test_desc: `Ensure ${HOSTILE}`,
      remediation: `chmod\n${HOSTILE}`,
    });
    const own = mkdtempSync(join(tmpdir(), 'cutover-hostile-bench-'));
    onTestFinished(() => rmSync(own, { recursive: true, force: true }));
    const file = join(own, 'kube-bench.json');
    writeFileSync(file, JSON.stringify(bench));
    const text = await runCli(['security', 'kube-bench', '--import', file]);
    expect(text.code, text.stderr).toBe(1);
    expect(rawIn('stdout', text.stdout)).toEqual([]);
    expect(text.stdout).toContain('Ensure ok\\u202Aa');
    const json = await runCli(['security', 'kube-bench', '--import', file, '--json']);
    expect(rawIn('--json', json.stdout)).toEqual([]);
    const messages = JSON.parse(json.stdout).findings.map((f: { message: string }) => f.message);
    expect(messages.join(' ')).toContain(`Ensure ${HOSTILE}`);
  });
});
