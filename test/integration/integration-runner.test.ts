// The integration runner against a hostile HTTP server on loopback: every way a response can be unusable
// becomes a recorded failure with its reason, retries happen only for idempotent requests, and teardown
// runs after a failed step.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TokenBroker } from '../../src/runners/auth/oidc.js';
import { Redactor } from '../../src/runners/auth/redact.js';
import { defineScenario } from '../../src/suites/integration/define.js';
import { type PassContext, runPass } from '../../src/suites/integration/pass.js';
import { makePki } from '../helpers/tls.js';

const hits = new Map<string, number>();
function handler(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  hits.set(`${req.method} ${path}`, (hits.get(`${req.method} ${path}`) ?? 0) + 1);
  const send = (
    status: number,
    type: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  };
  switch (path) {
    case '/ok':
      return send(
        200,
        'application/json',
        JSON.stringify({ id: 'abc-123456', at: new Date().toISOString() }),
      );
    case '/malformed':
      return send(200, 'application/json', '{"id": "abc", ');
    case '/html':
      return send(200, 'text/html', '<html>login</html>');
    case '/loop-a':
      return send(302, 'text/plain', '', { location: '/loop-b' });
    case '/loop-b':
      return send(302, 'text/plain', '', { location: '/loop-a' });
    case '/away':
      return send(302, 'text/plain', '', { location: 'http://192.0.2.1/elsewhere' });
    case '/huge':
      // Eleven MiB of valid JSON: more than the 10 MiB cap.
      return send(200, 'application/json', `["${'x'.repeat(11 * 1024 * 1024)}"]`);
    case '/slow':
      setTimeout(() => send(200, 'application/json', '{}'), 2000);
      return;
    case '/flaky':
      return send(503, 'application/json', '{"error":"unavailable"}');
    case '/items':
      return send(201, 'application/json', JSON.stringify({ id: 'item-7f3a9c' }));
    default:
      return send(404, 'application/json', '{"error":"not found"}');
  }
}

let server: Server;
let tlsServer: Server;
let trustedServer: Server;
let trustedBase: string;
let caCert: string;
let base: string;
let tlsBase: string;

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // A self-signed certificate: an integration request must refuse it before sending anything. And a
  // certificate from a CA the environment trusts (tls.caFile), for a host name pinned to loopback.
  const pki = makePki();
  tlsServer = createHttpsServer(pki.selfSigned('localhost', 2), handler);
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  trustedServer = createHttpsServer(pki.leaf('api.cutover.test', 2), handler);
  await new Promise<void>((r) => trustedServer.listen(0, '127.0.0.1', r));
  trustedBase = `https://api.cutover.test:${(trustedServer.address() as { port: number }).port}`;
  caCert = pki.caCert;
  tlsBase = `https://127.0.0.1:${(tlsServer.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => tlsServer.close(r));
  await new Promise((r) => trustedServer.close(r));
});

function context(services: Record<string, string>, over: Partial<PassContext> = {}): PassContext {
  const redactor = new Redactor();
  return {
    environment: 'baseline',
    services,
    runId: 'run-1',
    env: { API_KEY: 'k3y-value-0123456789' },
    redactor,
    tokens: new TokenBroker({}, {}, {}, redactor, Date.now, 1000),
    http: {
      maxBodyBytes: 10 * 1024 * 1024,
      maxRedirects: 5,
      pins: {},
      insecure: false,
      allowedOrigins: new Set([base, tlsBase]),
    },
    timeoutMs: 1000,
    retries: 2,
    sleep: async () => {},
    ...over,
  };
}

const get = (name: string, path: string, extra: object = {}) => ({
  name,
  request: { method: 'GET' as const, path },
  ...extra,
});

describe('runPass', () => {
  it('records every unusable answer as a failure with its reason', async () => {
    const scenario = defineScenario({
      name: 'hostile',
      service: 'api',
      steps: [
        get('ok', '/ok', { expect: { status: 200, schema: z.object({ id: z.string() }) } }),
        get('malformed', '/malformed'),
        get('html', '/html'),
        get('loop', '/loop-a'),
        get('away', '/away'),
        get('huge', '/huge'),
        get('slow', '/slow'),
        get('schema', '/ok', { expect: { schema: z.object({ id: z.number() }) } }),
      ],
    });
    const pass = await runPass(scenario, context({ api: base }));
    const by = Object.fromEntries(
      pass.runs.map((r) => [r.step.name, r.failure ?? r.problems.join('; ') ?? '']),
    );
    expect(by.ok).toBe('');
    expect(by.malformed).toMatch(/malformed JSON body/);
    expect(by.html).toMatch(/expected a JSON body, got text\/html/);
    expect(by.loop).toMatch(/redirect loop: \/loop-a → \/loop-b → \/loop-a/);
    expect(by.away).toMatch(/not a host in the config; not followed/);
    expect(by.huge).toMatch(/too-large: .*10485760-byte limit/);
    expect(by.slow).toMatch(/timeout: no complete answer .* within 1000 ms/);
    expect(by.schema).toMatch(/body does not match the schema: id: .*expected number/);
  });

  it('captures and expects headers by their own names only: `constructor` is not a header', async () => {
    const pass = await runPass(
      defineScenario({
        name: 'proto',
        service: 'api',
        steps: [
          get('capture', '/ok', { capture: { type: 'header:Content-Type', ctor: 'header:constructor' } }),
          get('expect', '/ok', { expect: { headers: { constructor: /.*/ } } }),
        ],
      }),
      context({ api: base }),
    );
    const [capture, expectStep] = pass.runs;
    expect(capture!.problems).toEqual(['capture ctor: no value at header:constructor']);
    expect(expectStep!.problems).toEqual(['header constructor missing']);
  });

  it('refuses an untrusted certificate', async () => {
    const pass = await runPass(
      defineScenario({ name: 'tls', service: 'api', steps: [get('tls', '/ok')] }),
      context({ api: tlsBase }),
    );
    expect(pass.runs[0]!.failure).toMatch(/^tls: /);
    const ctx = context({ api: trustedBase });
    const trusted = await runPass(
      defineScenario({ name: 'tls-ok', service: 'api', steps: [get('tls', '/ok')] }),
      {
        ...ctx,
        http: { ...ctx.http, ca: caCert, pins: { 'api.cutover.test': '127.0.0.1' } },
      },
    );
    expect(trusted.runs[0]!.response?.status).toBe(200);
  });

  it('retries idempotent requests only, and runs teardown after a failed step with its captured values', async () => {
    hits.clear();
    const scenario = defineScenario({
      name: 'stateful',
      service: 'api',
      steps: [
        {
          name: 'create',
          request: { method: 'POST', path: '/items', json: { by: '{{runId}}' } },
          capture: { itemId: 'id' },
        },
        get('flaky read', '/flaky'),
        { name: 'flaky write', request: { method: 'POST', path: '/flaky' } },
        get('needs missing value', '/x/{{neverCaptured}}'),
      ],
      teardown: [
        { name: 'delete', request: { method: 'DELETE', path: '/items/{{itemId}}' }, expect: { status: 404 } },
      ],
    });
    const pass = await runPass(scenario, context({ api: base }));
    expect(hits.get('GET /flaky')).toBe(3);
    expect(hits.get('POST /flaky')).toBe(1);
    expect(pass.runs.find((r) => r.step.name === 'needs missing value')!.skipped).toMatch(
      /needs \{\{neverCaptured\}\}/,
    );
    expect(hits.get('DELETE /items/item-7f3a9c')).toBe(1);
    expect(pass.runs.at(-1)!.problems).toEqual([]);
  });

  it('names the step that should have captured a value a later step needs', async () => {
    const scenario = defineScenario({
      name: 'capture-lacking',
      service: 'api',
      steps: [get('read', '/ok', { capture: { ref: 'booking.ref' } }), get('follow', '/items/{{ref}}')],
    });
    const pass = await runPass(scenario, context({ api: base }));
    expect(pass.runs[0]!.problems).toEqual(['capture ref: no value at booking.ref']);
    expect(pass.runs[1]!.skipped).toBe('needs {{ref}}, which step "read" did not capture');
    expect(pass.runs[1]!.unconfigured).toBeUndefined();
  });

  it('fills environment placeholders and treats them as secrets', async () => {
    const ctx = context({ api: base });
    const scenario = defineScenario({
      name: 'env',
      service: 'api',
      steps: [
        {
          name: 'key',
          request: { method: 'GET', path: '/html', headers: { 'x-api-key': '{{env.API_KEY}}' } },
        },
      ],
    });
    await runPass(scenario, ctx);
    expect(ctx.redactor.text('sent k3y-value-0123456789')).toBe('sent [redacted]');
    const missing = await runPass(
      defineScenario({ name: 'env2', service: 'api', steps: [get('k', '/ok?k={{env.NOT_SET}}')] }),
      ctx,
    );
    expect(missing.runs[0]!.skipped).toMatch(/environment variable NOT_SET/);
  });
});

describe('runPass after an interrupt', () => {
  it('skips the remaining steps but still cleans up what it created', async () => {
    hits.clear();
    const aborter = new AbortController();
    const ctx = context({ api: base });
    // The token lookup of the second step is where the person presses Ctrl-C.
    const tokens = {
      bearer: async () => {
        aborter.abort();
        return { ok: true, token: 'token-value-123456' };
      },
    } as unknown as PassContext['tokens'];
    const scenario = defineScenario({
      name: 'interrupted',
      service: 'api',
      steps: [
        { name: 'create', request: { method: 'POST', path: '/items' }, capture: { itemId: 'id' } },
        { name: 'read', auth: 'user', request: { method: 'GET', path: '/ok' } },
        get('list', '/ok'),
      ],
      teardown: [
        { name: 'delete', request: { method: 'DELETE', path: '/items/{{itemId}}' }, expect: { status: 404 } },
      ],
    });
    const pass = await runPass(scenario, { ...ctx, tokens, http: { ...ctx.http, signal: aborter.signal } });
    expect(pass.runs.map((r) => `${r.step.name}: ${r.skipped ?? r.failure ?? r.response?.status}`)).toEqual([
      'create: 201',
      'read: other: interrupted',
      'list: the run was interrupted',
      'delete: 404',
    ]);
    expect(hits.get('DELETE /items/item-7f3a9c')).toBe(1);
  });
});
