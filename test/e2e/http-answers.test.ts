// Answers that only look alike, and answers that break HTTP, through the real CLI: a user's project
// folder outside the repository (its own config and integration scenario file), baseline and target
// pointing at two small loopback servers this test starts.
// - A body that is not UTF-8 (`caf\xe9` against `caf\xe8`) is a parity difference naming the byte offset,
//   and a health payload that breaks its declared UTF-8 fails smoke.
// - A DELETE answered `204` with `Content-Length: 2` and `{}` gives an A/A run the same verdict every time,
//   with the server's fault in words in the report, and no parser code on its own anywhere.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';

interface Summary {
  verdict: string;
  reportDir: string;
  criteria: Array<{ id: string; status: string; reason: string }>;
}
interface Run {
  checks: Array<{
    suite: string;
    environment: string;
    service: string;
    check: string;
    status: string;
    reason: string;
  }>;
  evidence: Array<{
    kind: string;
    differences?: Array<{ path: string; kind: string; baseline: unknown; target: unknown }>;
  }>;
}

const servers: Server[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise((done) => s.close(done));
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

type Answer = { head: string; body: Buffer; extra?: string };

/**
 * A raw HTTP/1.1 server on loopback (node:http would not send what these tests need): `route` gives the
 * answer per method and path. Stray bytes after an answer (`extra`) go in the same write on even
 * connections and in a second write 5 ms later on odd ones, so both timings occur in every run.
 */
async function rawApi(route: (method: string, path: string) => Answer): Promise<string> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    const index = connections++;
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [method = '', path = ''] = pending.slice(0, end).split(' ');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(pending.slice(0, end))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.slice(end + 4 + length);
        const a = route(method, path);
        const answer = Buffer.concat([Buffer.from(a.head, 'latin1'), a.body]);
        if (!a.extra) socket.write(answer);
        else if (index % 2 === 0) socket.write(Buffer.concat([answer, Buffer.from(a.extra)]));
        else {
          socket.write(answer);
          setTimeout(() => socket.writable && socket.write(a.extra!), 5);
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const ok = (type: string, body: Buffer): Answer => ({
  head: `HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: ${body.length}\r\n\r\n`,
  body,
});
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** A user's project folder under the system's temporary folder: config, scenario file, reports. */
function project(
  urls: { baseline: string; target: string },
  health: Record<string, unknown>,
  scenario?: string,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-http-'));
  folders.push(dir);
  writeFileSync(
    join(dir, 'cutover.config.mjs'),
    `export default ${JSON.stringify({
      project: 'shop',
      environments: {
        baseline: {
          kind: 'compose',
          composeFile: './docker-compose.yml',
          services: { 'items-api': { url: urls.baseline } },
        },
        target: {
          kind: 'kubernetes',
          context: 'shop',
          namespaces: ['shop'],
          services: { 'items-api': { url: urls.target } },
        },
      },
      services: { 'items-api': { tier: 'application', phase: 3, health } },
      reportsDir: 'reports',
      ...(scenario ? { integration: { scenarios: ['./items.scenario.ts'] } } : {}),
    })};\n`,
  );
  if (scenario) {
    writeFileSync(join(dir, 'items.scenario.ts'), scenario);
    // The project's own gate: its API's integration steps pass and answer as on the baseline. A run
    // produces all it reads (`simulated`), so it sets the run's verdict.
    mkdirSync(join(dir, 'gates'));
    writeFileSync(
      join(dir, 'gates', 'items.ts'),
      `import { defineGate } from 'cutover';
export default defineGate({
  id: 'items',
  phase: 3,
  title: 'The items API answers on the target as on the baseline',
  simulated: true,
  criteria: [
    { id: 'parity', title: 'Responses equal to the baseline', serves: 3, expr: 'parity.ratio == 1' },
    { id: 'integration', title: 'No failed integration check', serves: 3, expr: 'integration.failed == 0' },
  ],
});
`,
    );
  }
  return dir;
}

async function run(dir: string, suites: string) {
  const r = await runCli(['run', '--suite', suites, '--json'], { cwd: dir, timeoutMs: 60_000 });
  if (!r.stdout.trim()) throw new Error(`cutover printed nothing (exit ${r.code}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as Summary;
  const report = (name: string) => readFileSync(join(dir, summary.reportDir, name), 'utf8');
  return { r, summary, record: JSON.parse(report('run.json')) as Run, report };
}

/** Every file a run wrote, as text. */
function written(dir: string): string {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return walk(join(dir, 'reports'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

describe('a body that is not UTF-8', () => {
  it('caf\\xe9 against caf\\xe8 is a parity difference naming invalid UTF-8 and the byte offset', async () => {
    const api = (name: string) => (_m: string, path: string) =>
      path === '/health'
        ? ok('application/json', Buffer.from('{"status":"ok"}'))
        : ok('text/plain', latin1(name));
    const dir = project(
      { baseline: await rawApi(api('caf\xe9')), target: await rawApi(api('caf\xe8')) },
      { path: '/health', status: 200 },
      `import { defineScenario } from 'cutover';
export default defineScenario({
  name: 'items',
  service: 'items-api',
  steps: [{ name: 'read name', request: { method: 'GET', path: '/items/1/name' }, expect: { body: 'text' } }],
});
`,
    );
    const { r, summary, record, report } = await run(dir, 'smoke,integration');
    expect(r.code, r.stderr).toBe(1);
    expect(summary.verdict).toBe('NO-GO');
    const differences = record.evidence.flatMap((e) => (e.kind === 'parity' ? (e.differences ?? []) : []));
    expect(differences).toEqual([
      {
        path: '$',
        kind: 'value',
        baseline: 'invalid UTF-8 at byte offset 3 of 4: caf\\xE9',
        target: 'invalid UTF-8 at byte offset 3 of 4: caf\\xE8',
      },
    ]);
    // Each side's check says what its body is; the report shows the difference with both bodies.
    for (const check of record.checks.filter((c) => c.suite === 'integration')) {
      expect(check.reason).toMatch(
        /the body is not valid UTF-8 at byte offset 3 \(caf\\x(E9|E8)\); compared as bytes$/,
      );
    }
    // Values are written as JSON in report.md (quoted, the backslash doubled), and Markdown escapes one
    // of the two so that the page shows the JSON text.
    expect(report('report.md')).toContain('| "invalid UTF-8 at byte offset 3 of 4: caf\\\\\\xE8" |');
  });

  it('a health payload that breaks its declared UTF-8 fails smoke, with the byte offset', async () => {
    const health = (body: Buffer) => () => ok('application/json; charset=utf-8', body);
    const dir = project(
      {
        baseline: await rawApi(health(Buffer.from('{"status":"café"}'))),
        target: await rawApi(health(latin1('{"status":"caf\xe9"}'))),
      },
      { path: '/health', status: 200, contentType: 'application/json' },
    );
    const { r, summary, record } = await run(dir, 'smoke');
    expect(r.code, r.stderr).toBe(1);
    const criterion = summary.criteria.find((c) => c.id === 'smoke.items-api');
    expect(criterion).toMatchObject({ status: 'FAIL' });
    expect(criterion!.reason).toContain(
      'health: health payload is not valid UTF-8 at byte offset 14 ({"status":"caf\\xE9"}), though its content type "application/json; charset=utf-8" says UTF-8',
    );
    expect(record.checks.find((c) => c.environment === 'baseline' && c.check === 'health')?.status).toBe(
      'pass',
    );
  });
});

describe('an answer that breaks HTTP framing', () => {
  const WARNING =
    'the server announced 2 bytes (Content-Length: 2) after a 204 response, which has no body; they are not part of the answer, and the connection was closed';

  it('gives an A/A run the same verdict every time, with the fault in words and no parser code alone', async () => {
    const noContent: Answer = {
      head: 'HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\n',
      body: Buffer.alloc(0),
      extra: '{}',
    };
    const api = (method: string, path: string) =>
      method === 'DELETE' || path === '/healthz'
        ? noContent
        : ok('application/json', Buffer.from('{"id":"item-1"}'));
    const dir = project(
      { baseline: await rawApi(api), target: await rawApi(api) },
      { path: '/healthz', status: 204 },
      `import { defineScenario } from 'cutover';
export default defineScenario({
  name: 'items',
  service: 'items-api',
  steps: [
    { name: 'read item', request: { method: 'GET', path: '/items/1' } },
    { name: 'delete item', request: { method: 'DELETE', path: '/items/1' }, expect: { status: 204 } },
  ],
});
`,
    );
    const verdicts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { r, summary, record, report } = await run(dir, 'smoke,integration');
      verdicts.push(`${r.code} ${summary.verdict}`);
      expect(record.checks.filter((c) => c.status === 'fail')).toEqual([]);
      const deleted = record.checks.filter((c) => c.check === 'items › delete item');
      expect(deleted.map((c) => c.reason)).toEqual(
        Array(2).fill(
          expect.stringMatching(
            new RegExp(`^DELETE /items/1: 204 in \\d+ ms, as expected; ${escapeRegExp(WARNING)}$`),
          ),
        ),
      );
      expect(report('report.md')).toContain(WARNING);
      for (const text of [r.stdout, r.stderr, written(dir)]) expect(text).not.toMatch(/HPE_/);
    }
    expect(verdicts).toEqual(Array(4).fill('0 GO'));
  });
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
