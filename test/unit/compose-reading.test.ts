// Reading a Compose file as `docker compose` does where a wrong reading would compare the wrong
// thing and call it matched: YAML merge keys (`<<: *fragment`), required and nested variables,
// the `.env` beside the file, and services Compose itself would refuse.
/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation, not templates */
import { describe, expect, it } from 'vitest';
import { ComposeError, type ComposeOptions, readCompose } from '../../src/core/inventory/compose.js';

const read = (text: string, options: Partial<ComposeOptions> & { files?: Record<string, string> } = {}) =>
  readCompose(text, {
    file: 'compose.yaml',
    read: (p) => options.files?.[p],
    ...(options.env ? { env: options.env } : {}),
  });
const service = (text: string, name: string, options?: Parameters<typeof read>[1]) =>
  read(text, options).services.find((s) => s.name === name)!;
const refusal = (text: string, options?: Parameters<typeof read>[1]): string => {
  try {
    read(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ComposeError);
    return (error as Error).message;
  }
  throw new Error('read without an error');
};

describe('YAML merge keys, as Compose resolves them', () => {
  it('a service that is only `<<: *db` has the fragment’s image and ports', () => {
    const db = service(
      ['x-db: &db {image: postgres:16, ports: ["5432:5432"]}', 'services:', '  db: {<<: *db}'].join('\n'),
      'db',
    );
    expect(db.image).toBe('postgres:16');
    expect(db.ports).toEqual([{ target: 5432, published: 5432, protocol: 'tcp' }]);
  });

  it('keys written in the service win over merged ones, wherever they stand; earlier sources win', () => {
    const text = [
      'x-a: &a {image: a:1, expose: ["1"], deploy: {replicas: 2}}',
      'x-b: &b {image: b:1, expose: ["2"], deploy: {replicas: 3}, healthcheck: {test: [CMD, "true"]}}',
      'services:',
      '  list:',
      '    <<: [*a, *b]',
      '  before:',
      '    image: mine:1',
      '    <<: *a',
      '  after:',
      '    <<: *a',
      '    image: mine:2',
      '    expose: ["9"]',
    ].join('\n');
    const r = read(text);
    const by = (n: string) => r.services.find((s) => s.name === n)!;
    expect([by('list').image, by('list').expose, by('list').replicas, by('list').healthcheck]).toEqual([
      'a:1',
      [1],
      2,
      true,
    ]);
    expect(by('before').image).toBe('mine:1');
    expect([by('after').image, by('after').expose]).toEqual(['mine:2', [9]]);
  });

  it('merges inside nested maps such as environment: and deploy:, never making a variable named <<', () => {
    const text = [
      'x-env: &env {DB_HOST: db, DB_USER: app}',
      'x-deploy: &deploy {replicas: 2, resources: {limits: {cpus: "0.5", memory: 256M}}}',
      'services:',
      '  api:',
      '    image: api:1',
      '    environment:',
      '      <<: *env',
      '      DB_USER: override',
      '      API_KEY: k',
      '    deploy:',
      '      <<: *deploy',
      '      replicas: 4',
    ].join('\n');
    const api = service(text, 'api');
    expect(api.envNames).toEqual(['API_KEY', 'DB_HOST', 'DB_USER']);
    expect(api.replicas).toBe(4);
    expect(api.limits).toEqual({ cpus: 0.5, memoryBytes: 256 * 1024 * 1024 });
  });

  it('interpolates merged values, with the variables of the file they land in', () => {
    const db = service(
      ['x-db: &db {image: "mysql:${TAG:-5.7}"}', 'services:', '  db: {<<: *db}'].join('\n'),
      'db',
      {
        env: { TAG: '8.0' },
      },
    );
    expect(db.image).toBe('mysql:8.0');
  });

  it('refuses a merge of something that is not a mapping, and an alias bomb', () => {
    expect(refusal('x-s: &s just-text\nservices:\n  a: {<<: *s, image: a:1}\n')).toMatch(
      /^compose\.yaml: not valid YAML: Merge sources must be maps/,
    );
    const bomb = ['x-a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [from, to] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg'])
      bomb.push(`x-${to}: &${to} [${Array(9).fill(`*${from}`).join(', ')}]`);
    bomb.push('services:\n  a: {image: a:1}');
    expect(refusal(bomb.join('\n'))).toMatch(/not valid YAML: Excessive alias count/);
  });

  it('reads an honest file that uses one fragment in many services', () => {
    const lines = ['x-common: &common {image: app:1, environment: {LOG: info}}', 'services:'];
    for (let i = 0; i < 150; i++) lines.push(`  s${i}: {<<: *common}`);
    const r = read(lines.join('\n'));
    expect(r.services).toHaveLength(150);
    expect(r.services.every((s) => s.image === 'app:1' && s.envNames.join() === 'LOG')).toBe(true);
  });
});

describe('variables, as Compose interpolates them', () => {
  it('resolves nested defaults', () => {
    const text = 'services:\n  db:\n    image: "mysql:${A:-${B:-5.7}}"\n';
    expect(service(text, 'db').image).toBe('mysql:5.7');
    expect(service(text, 'db', { env: { B: '8.0' } }).image).toBe('mysql:8.0');
    expect(service(text, 'db', { env: { A: '8.4', B: '8.0' } }).image).toBe('mysql:8.4');
  });

  it('an unset ${VAR:?message} is an error naming the variable, the message, the file and the value', () => {
    const text = 'services:\n  db:\n    image: "mysql:${DB_TAG:?set DB_TAG to the MySQL version}"\n';
    expect(refusal(text)).toBe(
      'compose.yaml: services.db.image: required variable DB_TAG is missing a value: set DB_TAG to the MySQL version',
    );
    expect(refusal(text, { env: { DB_TAG: '' } })).toMatch(/required variable DB_TAG/);
    expect(service(text, 'db', { env: { DB_TAG: '5.7' } }).image).toBe('mysql:5.7');
    // ${VAR?message} accepts a set-but-empty value, as Compose does
    const soft = 'services:\n  db:\n    image: mysql:5.7\n    environment: {PASSWORD: "${PW?needed}"}\n';
    expect(refusal(soft)).toMatch(
      /services\.db\.environment\.PASSWORD: required variable PW is missing a value: needed/,
    );
    expect(service(soft, 'db', { env: { PW: '' } }).envNames).toEqual(['PASSWORD']);
  });

  it('also in an x- fragment and in an extended file, which it names', () => {
    expect(refusal('x-unused: "${NEED:?x}"\nservices:\n  a: {image: a:1}\n')).toMatch(
      /^compose\.yaml: x-unused: required variable NEED/,
    );
    const files = { 'base.yml': 'services:\n  base: {image: "b:${BASE_TAG:?pin the base}"}\n' };
    expect(refusal('services:\n  a: {extends: {file: base.yml, service: base}}\n', { files })).toBe(
      'base.yml: services.base.image: required variable BASE_TAG is missing a value: pin the base',
    );
  });

  it('takes variables from the environment, then the .env beside the file, read as Compose reads it', () => {
    const files = {
      '.env': 'TAG=2.4.1 # pinned for the migration\nREPO="registry.example/api"\nFULL=${REPO}:${TAG}\n',
    };
    const text = 'services:\n  api: {image: "${FULL}"}\n  web: {image: "web:${TAG}"}\n';
    expect(read(text, { files }).services.map((s) => s.image)).toEqual([
      'registry.example/api:2.4.1',
      'web:2.4.1',
    ]);
    expect(service(text, 'web', { files, env: { TAG: '3.0.0' } }).image).toBe('web:3.0.0');
    // COMPOSE_DISABLE_ENV_FILE: Compose does not read .env (and then ${FULL} would leave api no image)
    const web = 'services:\n  web: {image: "web:${TAG}"}\n';
    expect(service(web, 'web', { files, env: { COMPOSE_DISABLE_ENV_FILE: 'true' } }).image).toBe('web:');
    expect(refusal(text, { files: { '.env': 'TAG=${NOPE:?}\n' } })).toBe(
      '.env beside compose.yaml: line 1: required variable NOPE is missing a value',
    );
  });

  it('names, once each, the variables Compose would substitute as empty', () => {
    const text =
      'services:\n  a: {image: "a:${TAG}", environment: {X: "$SECRET", Y: "${SECRET}", Z: "${OK:-1}"}}\n';
    expect(read(text).unsetVariables).toEqual(['SECRET', 'TAG']);
    expect(read(text).warnings).toEqual([]); // read completely, as Compose reads it: a note, not a gap
    expect(read(text, { env: { TAG: '1', SECRET: 's' } }).unsetVariables).toEqual([]);
  });
});

describe('files Compose would refuse', () => {
  it('a service with neither an image nor a build context', () => {
    expect(refusal('services:\n  db: {ports: ["5432"]}\n')).toBe(
      'compose.yaml: service db has neither an image nor a build context (Compose refuses it)',
    );
    // an empty image from an unset variable is the same
    expect(refusal('services:\n  db: {image: "${IMAGE}"}\n')).toMatch(/service db has neither an image/);
    expect(read('services:\n  db: {build: .}\n  m: {provider: {type: model}}\n').services).toHaveLength(2);
    // a service in a profile that is not enabled is not checked, as in Compose
    expect(read('services:\n  a: {image: a:1}\n  dev: {profiles: [dev]}\n').inactive).toEqual([
      { name: 'dev', profiles: ['dev'] },
    ]);
  });

  it('an extended file that is not YAML, or an env_file Compose cannot parse', () => {
    expect(
      refusal('services:\n  a: {extends: {file: base.yml, service: b}}\n', { files: { 'base.yml': 'a: [' } }),
    ).toMatch(/^base\.yml: not valid YAML/);
    expect(
      refusal('services:\n  a: {image: a:1, env_file: app.env}\n', {
        files: { 'app.env': 'OK=1\nNOT OK=2\n' },
      }),
    ).toBe('compose.yaml: service a: env_file app.env: line 2: a variable name cannot contain a space');
  });
});
