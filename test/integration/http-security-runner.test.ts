// The HTTP security part of the suite against real HTTPS servers (certificates from Debian's openssl):
// the baseline sends HSTS and the usual headers, the target lost two of them, serves a Traefik
// dashboard and answers CORS with credentials for any origin. Every finding must come out, named.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { Evidence, FindingEvidence } from '../../src/core/evidence.js';
import type { CheckResult } from '../../src/core/model.js';
import { checkHttpSecurity } from '../../src/suites/security/http-security.js';
import type { SuiteContext } from '../../src/suites/suite.js';
import { makePki } from '../helpers/tls.js';

const GOOD_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'",
};

function serve(
  key: string,
  cert: string,
  handler: (path: string, origin?: string) => { status: number; headers: Record<string, string> },
): Promise<Server> {
  const server = createServer({ key, cert }, (req, res) => {
    const { status, headers } = handler(req.url ?? '/', req.headers.origin);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end('{"status":"healthy"}');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

let baseline: Server;
let target: Server;
let ca: string;

beforeAll(async () => {
  const pki = makePki();
  ca = pki.caCert;
  const leaf = pki.leaf('api.sevensa.test', 60);
  baseline = await serve(leaf.key, leaf.cert, (path) =>
    path === '/health' ? { status: 200, headers: GOOD_HEADERS } : { status: 404, headers: {} },
  );
  target = await serve(leaf.key, leaf.cert, (path, origin) => {
    if (path === '/dashboard/') return { status: 200, headers: {} };
    if (path !== '/health') return { status: 404, headers: {} };
    const { 'content-security-policy': _c, 'strict-transport-security': _h, ...kept } = GOOD_HEADERS;
    return {
      status: 200,
      headers: {
        ...kept,
        ...(origin
          ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
          : {}),
      },
    };
  });
});

afterAll(() => {
  baseline?.close();
  target?.close();
});

describe('http-security against HTTPS endpoints', () => {
  it('reports lost headers, a reachable dashboard and credentialed CORS on the target only', async () => {
    const port = (s: Server) => (s.address() as AddressInfo).port;
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cutover-httpsec-'));
    writeFileSync(join(dir, 'ca.pem'), ca);
    const config = validateConfig(
      {
        project: 'p',
        environments: {
          baseline: {
            kind: 'compose',
            composeFile: 'x.yml',
            resolve: { 'api.sevensa.test': '127.0.0.1' },
            tls: { caFile: 'ca.pem' },
            services: { api: { url: `https://api.sevensa.test:${port(baseline)}` } },
          },
          target: {
            kind: 'kubernetes',
            context: 'c',
            namespaces: ['n'],
            resolve: { 'api.sevensa.test': '127.0.0.1' },
            tls: { caFile: 'ca.pem' },
            services: { api: { url: `https://api.sevensa.test:${port(target)}` } },
          },
        },
        services: { api: { tier: 'application', phase: 3, health: { path: '/health' } } },
      },
      join(dir, 'cutover.config.ts'),
      dir,
    );
    const evidence: Evidence[] = [];
    const checks: CheckResult[] = [];
    const ctx: SuiteContext = {
      config,
      environments: ['baseline', 'target'],
      services: ['api'],
      runId: 'r',
      now: () => new Date('2026-11-28T04:00:00Z'),
      faults: [],
      env: {},
      options: {},
      check: (c) => checks.push(c),
      evidence: (e) => evidence.push(e),
      log: () => {},
    };
    await checkHttpSecurity(ctx);
    const findings = evidence.filter((e): e is FindingEvidence => e.kind === 'finding');
    expect(findings.filter((f) => f.environment === 'baseline')).toEqual([]);
    const onTarget = findings
      .filter((f) => f.environment === 'target')
      .map((f) => `${f.severity} ${f.check} ${f.path}`);
    expect(onTarget.sort()).toEqual(
      [
        'high admin-endpoint /dashboard/',
        'high cors headers.access-control-allow-origin',
        'medium header-lost headers.content-security-policy',
        'medium header-lost headers.strict-transport-security',
        'medium hsts headers.strict-transport-security',
      ].sort(),
    );
    const coverage = evidence.filter((e) => e.kind === 'coverage');
    expect(coverage.map((c) => c.kind === 'coverage' && `${c.environment} ${c.status}`)).toEqual([
      'baseline complete',
      'target complete',
    ]);
    expect(checks.map((c) => `${c.environment} ${c.check} ${c.status}`)).toEqual([
      'baseline http-security pass',
      'target http-security fail',
    ]);
  });
});
