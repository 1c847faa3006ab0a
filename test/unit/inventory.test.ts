// Compose reading (extends, profiles, env files, long port syntax) and Compose ↔ Kubernetes inventory
// parity, on kompose's own WordPress pair and on hand-made differences. Interpolation and merge keys:
// compose-interpolation.test.ts and compose-reading.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeError, parsePorts, readCompose } from '../../src/core/inventory/compose.js';
import { compareInventory } from '../../src/core/inventory/parity.js';
import { parseManifestObjects } from '../../src/core/security/manifests.js';
import type { K8sObject } from '../../src/core/security/objects.js';
import { ROOT } from '../helpers/project.js';

const fixture = (p: string) => readFileSync(join(ROOT, 'test/fixtures/manifests', p), 'utf8');
const none = () => undefined;

describe('the kompose WordPress pair', () => {
  it('matches both services with ports 8000→80 and 3306 and nothing missing', () => {
    const compose = readCompose(fixture('kompose-wordpress-compose.yaml'), {
      file: 'compose.yaml',
      read: none,
    });
    const objects = parseManifestObjects(fixture('kompose-wordpress-output-k8s.yaml'), 'out') as K8sObject[];
    const r = compareInventory(compose, objects);
    expect(r.services.map((s) => [s.name, s.status])).toEqual([
      ['db', 'matched'],
      ['wordpress', 'matched'],
    ]);
    expect(r.services.find((s) => s.name === 'wordpress')?.ports).toEqual(['8000→80']);
    expect(r.services.find((s) => s.name === 'db')?.ports).toEqual(['3306→3306']);
    expect(r.services.flatMap((s) => s.differences)).toEqual([]);
    expect(r.extra).toEqual([]);
  });

  it('reports what kompose would map but the manifests lost, by name and never by value', () => {
    const compose = readCompose(fixture('kompose-wordpress-compose.yaml'), {
      file: 'compose.yaml',
      read: none,
    });
    const objects = parseManifestObjects(fixture('kompose-wordpress-output-k8s.yaml'), 'out') as K8sObject[];
    type Db = {
      spec: {
        template: { spec: { containers: { image: string; env: { name: string }[] }[] } };
        volumeClaimTemplates?: unknown;
      };
    };
    const db = objects.find((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'db') as unknown as Db;
    const c = db.spec.template.spec.containers[0]!;
    c.image = 'mysql:8.0';
    c.env = c.env.filter((e) => e.name !== 'MYSQL_ROOT_PASSWORD');
    delete db.spec.volumeClaimTemplates;
    const withoutWordpress = objects.filter((o) => o.metadata?.name !== 'wordpress');
    const r = compareInventory(compose, withoutWordpress);
    const dbDiffs = r.services.find((s) => s.name === 'db')!;
    expect(dbDiffs.status).toBe('different');
    expect(dbDiffs.differences.map((d) => d.field).sort()).toEqual(['env', 'image', 'volumes']);
    expect(JSON.stringify(dbDiffs)).toContain('MYSQL_ROOT_PASSWORD');
    expect(JSON.stringify(r)).not.toContain('somewordpress');
    expect(r.services.find((s) => s.name === 'wordpress')?.status).toBe('missing');
  });
});

describe('reading docker-compose.yml', () => {
  it('follows extends across files, env files, profiles and interpolation', () => {
    const files: Record<string, string> = {
      'base.yml':
        'services:\n  api-base:\n    environment: [BASE_ONLY=1]\n    expose: ["8000"]\n    healthcheck: {test: [CMD, curl, -f, http://localhost:8000/health]}\n',
      'api.env': '# comment\nexport API_TOKEN=abc\nLOG_LEVEL="debug"\n',
      '.env': 'TAG=2.4.1\n',
    };
    const text = [
      'services:',
      '  api:',
      '    extends: {file: base.yml, service: api-base}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a template
      '    image: registry.example/api:${TAG:-latest}',
      '    env_file: [api.env, {path: missing.env, required: false}]',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose interpolation, not a template
      '    environment: {DB_PASSWORD: "${DB_PASSWORD}"}',
      '    ports: [{target: 8000, published: "8080", protocol: tcp}, "127.0.0.1:9000-9001:9000-9001/udp"]',
      '    deploy: {replicas: 3, resources: {limits: {cpus: "0.5", memory: 512M}}}',
      '  debug:',
      '    image: busybox:1.36',
      '    profiles: [dev]',
      'volumes: {}',
    ].join('\n');
    const r = readCompose(text, { file: 'docker-compose.yml', read: (p) => files[p] });
    expect(r.inactive).toEqual([{ name: 'debug', profiles: ['dev'] }]);
    const api = r.services[0]!;
    expect(api.image).toBe('registry.example/api:2.4.1');
    expect(api.envNames).toEqual(['API_TOKEN', 'BASE_ONLY', 'DB_PASSWORD', 'LOG_LEVEL']);
    expect(api.ports).toEqual([
      { target: 8000, published: 8080, protocol: 'tcp' },
      { target: 9000, published: 9000, protocol: 'udp' },
      { target: 9001, published: 9001, protocol: 'udp' },
    ]);
    expect(api.expose).toEqual([8000]);
    expect(api.healthcheck).toBe(true);
    expect(api.replicas).toBe(3);
    expect(api.limits).toEqual({ cpus: 0.5, memoryBytes: 512 * 1024 * 1024 });
    expect(r.warnings).toEqual([]);
    // set neither in the environment nor in .env: Compose substitutes "" (a note, not a gap)
    expect(r.unsetVariables).toEqual(['DB_PASSWORD']);
    const withDev = readCompose(text, {
      file: 'docker-compose.yml',
      read: (p) => files[p],
      profiles: ['dev'],
    });
    expect(withDev.services.map((s) => s.name)).toEqual(['api', 'debug']);
  });

  it('names an unreadable env file, a missing extended service and an extends cycle', () => {
    const r = readCompose('services:\n  a:\n    image: a:1\n    env_file: secrets.env\n', {
      file: 'c.yml',
      read: none,
    });
    expect(r.warnings[0]).toMatch(/env_file secrets.env cannot be read/);
    expect(() => readCompose('services:\n  a:\n    extends: b\n', { file: 'c.yml', read: none })).toThrow(
      /service "b" is extended but not defined/,
    );
    expect(() =>
      readCompose('services:\n  a:\n    extends: b\n  b:\n    extends: a\n', { file: 'c.yml', read: none }),
    ).toThrow(/extends cycle/);
    expect(() => readCompose('just: text\n', { file: 'c.yml', read: none })).toThrow(ComposeError);
  });

  it('parses the short port syntax as Compose does', () => {
    expect(parsePorts('80')).toEqual([{ target: 80, protocol: 'tcp' }]);
    expect(parsePorts('8000:80')).toEqual([{ target: 80, published: 8000, protocol: 'tcp' }]);
    expect(parsePorts('[::1]:53:53/udp')).toEqual([{ target: 53, published: 53, protocol: 'udp' }]);
  });
});
