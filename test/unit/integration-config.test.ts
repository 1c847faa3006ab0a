// The config's integration and auth sections, and the redactor that keeps secrets out of records.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import type { UserError } from '../../src/core/errors.js';
import { REDACTED, Redactor } from '../../src/runners/auth/redact.js';

const base = {
  project: 'p',
  environments: {
    baseline: { kind: 'compose', composeFile: 'x.yml', services: { api: { url: 'http://127.0.0.1:1' } } },
    target: {
      kind: 'kubernetes',
      context: 'c',
      namespaces: ['n'],
      services: { api: { url: 'http://127.0.0.1:2' } },
    },
  },
  services: { api: { tier: 'application', phase: 3, health: { path: '/health' } } },
};

function problems(extra: object): string[] {
  try {
    validateConfig({ ...base, ...extra }, 'cutover.config.ts', '/tmp');
    return [];
  } catch (error) {
    return [...((error as UserError).details ?? [(error as Error).message])];
  }
}

describe('integration and auth config', () => {
  it('fills defaults', () => {
    const config = validateConfig(base, 'cutover.config.ts', '/tmp');
    expect(config.integration).toMatchObject({
      builtin: false,
      retries: 0,
      timeoutMs: 10_000,
      maxBodyBytes: 10 * 1024 * 1024,
      baselineReads: 3,
      readSpacingMs: 1000,
    });
    expect(config.auth).toEqual({});
    // One baseline read leaves nothing to learn noise from.
    expect(problems({ integration: { baselineReads: 1, readSpacingMs: -1 } }).join('\n')).toMatch(
      /integration\.baselineReads[\s\S]*integration\.readSpacingMs/,
    );
  });

  it('names each mistake in an auth profile by its path', () => {
    const lines = problems({
      auth: {
        user: {
          grant: 'password',
          issuer: { service: 'keycloak', path: 'realms/x' },
          clientSecretEnv: 'not a var',
        },
      },
      integration: { retries: 9 },
    });
    const text = lines.join('\n');
    expect(text).toMatch(/auth\.user\.issuer/);
    expect(text).toMatch(/auth\.user\.clientSecretEnv: .*environment variable name/);
    expect(text).toMatch(/integration\.retries/);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const missing = problems({
      auth: { user: { grant: 'password', issuer: { target: 'http://kc.test/realms/x' }, clientId: 'c' } },
    }).join('\n');
    expect(missing).toMatch(/auth\.user\.usernameEnv: required for the password grant/);
    expect(missing).toMatch(/auth\.user\.passwordEnv: required for the password grant/);
    const inUrl = problems({
      auth: {
        svc: { grant: 'client_credentials', issuer: { target: 'https://cutover:hunter2@kc.test/realms/x' } },
      },
    }).join('\n');
    expect(inUrl).toMatch(/auth\.svc\.issuer.*: the issuer URL must not carry credentials/);
    expect(inUrl).not.toContain('hunter2');
  });
});

describe('Redactor', () => {
  it('masks known secrets anywhere, and secret-named fields whatever their value', () => {
    const r = new Redactor();
    r.add('s3cr3t-value-with+plus');
    r.add('short');
    expect(r.text('x=s3cr3t-value-with+plus&y=s3cr3t-value-with%2Bplus')).toBe(`x=${REDACTED}&y=${REDACTED}`);
    expect(r.text('short stays')).toBe('short stays');
    expect(
      r.value({
        Authorization: 'Bearer abc',
        nested: [{ password: 'pw', note: 'has s3cr3t-value-with+plus inside' }],
        ok: 1,
      }),
    ).toEqual({
      Authorization: REDACTED,
      nested: [{ password: REDACTED, note: `has ${REDACTED} inside` }],
      ok: 1,
    });
  });
});
