// The config's JSON Schema and reference page, both generated from its zod schema: the committed files
// are the generated ones (`npm run schema` rewrites them), the JSON Schema accepts and refuses what zod
// does where it can say so, and the reference lists every field with its type, default and description.
// And configs written as data (JSON, YAML), read through the same zod schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jsonProblem } from '../../src/config/data-config.js';
import { configJsonSchema, configJsonSchemaText } from '../../src/config/json-schema.js';
import { loadConfig } from '../../src/config/load.js';
import { renderConfigReference, typeOf } from '../../src/config/reference.js';
import { configSchema } from '../../src/config/schema.js';
import { ROOT, tmpDir } from '../helpers/project.js';

const minimal = () => ({
  project: 'shop',
  environments: {
    baseline: {
      kind: 'compose',
      composeFile: './docker-compose.yml',
      services: { 'orders-api': { url: 'http://127.0.0.1:8081' } },
    },
    target: {
      kind: 'kubernetes',
      context: 'shop-staging',
      namespaces: ['shop'],
      services: { 'orders-api': { url: 'https://orders.staging.example.com' } },
    },
  },
  services: {
    'orders-api': { tier: 'application', phase: 3, health: { path: '/health', json: { status: 'ok' } } },
  },
});

const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(configJsonSchema() as object);

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schema (npm run schema rewrites it)', () => {
    const published = join(ROOT, 'schemas/cutover.config.schema.json');
    expect(
      readFileSync(published, 'utf8'),
      'schemas/cutover.config.schema.json is out of date: npm run schema',
    ).toBe(configJsonSchemaText());
  });

  it('accepts the configs zod accepts: a minimal one, and the shipped Sevensa config', async () => {
    expect(validate(minimal()), JSON.stringify(validate.errors)).toBe(true);
    expect(
      validate({ $schema: './node_modules/cutover/schemas/cutover.config.schema.json', ...minimal() }),
    ).toBe(true);
    const { configFile: _f, rootDir: _r, reportsPath: _p, ...shipped } = await loadConfig(ROOT);
    expect(validate(shipped), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses what zod refuses, each at its path', () => {
    const cases: [string, (c: ReturnType<typeof minimal>) => void, string][] = [
      ['a misspelt key', (c) => Object.assign(c, { smoke: { timeoutMS: 5000 } }), '/smoke'],
      ['an unknown tier', (c) => (c.services['orders-api'].tier = 'gold'), '/services/orders-api/tier'],
      ['a phase out of range', (c) => (c.services['orders-api'].phase = 9), '/services/orders-api/phase'],
      [
        'a compose environment without its file',
        (c) => delete (c.environments.baseline as { composeFile?: string }).composeFile,
        '/environments/baseline',
      ],
      [
        'an upper-case service id',
        (c) => Object.assign(c.services, { API: c.services['orders-api'] }),
        '/services',
      ],
    ];
    for (const [what, breakIt, path] of cases) {
      const config = minimal();
      breakIt(config);
      expect(configSchema.safeParse(config).success, what).toBe(false);
      expect(validate(config), what).toBe(false);
      expect(
        validate.errors!.some((e) => e.instancePath.startsWith(path)),
        `${what}: ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }
  });

  it('carries the descriptions and defaults of the zod schema', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { description?: string; properties?: never }>;
    };
    for (const [name, field] of Object.entries(schema.properties))
      expect(field.description, name).toBeTruthy();
    const smoke = (schema.properties.smoke as unknown as { properties: Record<string, object> }).properties;
    expect(smoke.probes).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 3,
      description: 'Latency probes per service after the first request.',
    });
  });
});

describe('docs/config-reference.md', () => {
  const page = renderConfigReference();

  it('is the one generated from the zod schema (npm run schema rewrites it)', () => {
    expect(
      readFileSync(join(ROOT, 'docs/config-reference.md'), 'utf8'),
      'docs/config-reference.md is out of date: npm run schema',
    ).toBe(page);
  });

  it('lists every field with its type, default and description, with a path that reads like the config', () => {
    expect(page).toContain(
      '| `smoke.probes` | integer 1–50 | `3` | Latency probes per service after the first request. |',
    );
    expect(page).toContain(
      '| `services.<service>.health.path` | string | required | The path of the health endpoint',
    );
    expect(page).toContain(
      '| `environments.<environment>.composeFile` | string | required | The docker-compose.yml this environment runs, relative to the config file. (only with kind: "compose") |',
    );
    expect(page).toContain('| `environments.<environment>.context` | string | required |');
    expect(page).toContain('| `performance.threads` | "auto" \\| integer 1–256 | `"auto"` |');
    expect(page).toContain('| `backup.schedules[].schedule` |');
    for (const section of ['environments', 'services', 'smoke', 'performance', 'backup'])
      expect(page).toContain(`## ${section}\n`);
  });

  it('says a type in a few words', () => {
    expect(typeOf({ type: 'integer', minimum: 1, maximum: 50 })).toBe('integer 1–50');
    expect(typeOf({ type: 'number', minimum: 0 })).toBe('number ≥ 0');
    expect(typeOf({ enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(typeOf({ type: 'array', items: { anyOf: [{ const: 'x' }, { type: 'string' }] } })).toBe(
      '("x" | string)[]',
    );
    expect(
      typeOf({ type: 'object', additionalProperties: { type: 'string', format: 'uri' } }, 'service'),
    ).toBe('{ [service]: URL }');
    expect(typeOf({ type: ['string', 'null'] })).toBe('string | null');
  });
});

describe('a config as data: cutover.config.json, .yaml, .yml', () => {
  it('is found and read like a TypeScript config, its $schema key ignored', async () => {
    for (const [name, text] of [
      ['cutover.config.json', JSON.stringify({ $schema: 'x.json', ...minimal() }, null, 2)],
      ['cutover.config.yaml', `# yaml-language-server: $schema=x.json\n${stringify(minimal())}`],
      ['cutover.config.yml', stringify({ $schema: 'x.json', ...minimal() })],
    ]) {
      const dir = tmpDir('data-config');
      writeFileSync(join(dir, name!), text!);
      const config = await loadConfig(dir);
      expect(config.configFile, name).toBe(join(dir, name!));
      expect(config.services['orders-api']!.health.status).toBe(200);
      expect(config.smoke.probes).toBe(3);
    }
  });

  it('is validated by the same schema: every problem with its path, exit 2', async () => {
    const dir = tmpDir('data-config');
    const config = minimal();
    Object.assign(config, { smoke: { timeoutMS: 5000 } });
    config.services['orders-api'].phase = 9;
    writeFileSync(join(dir, 'cutover.config.yaml'), stringify(config));
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'invalid config cutover.config.yaml: 2 problems',
      details: [
        'services.orders-api.phase: expected at most 5, got 9',
        'smoke.timeoutMS: unknown key; did you mean "timeoutMs"?',
      ],
    });
  });

  it("a JSON syntax error's place: from Node 20's position, and Node 22's own line and column kept as they are", () => {
    const text = '{\n  "project": "x",\n}\n';
    expect(jsonProblem(text, new Error('Unexpected token } in JSON at position 20'))).toBe(
      'Unexpected token } in JSON at position 20 (line 3 column 1)',
    );
    const node22 = 'Expected double-quoted property name in JSON at position 20 (line 3 column 1)';
    expect(jsonProblem(text, new Error(node22))).toBe(node22);
    // Two digits: the position is not read as its first digit alone.
    const longer = 'Expected double-quoted property name in JSON at position 23 (line 3 column 1)';
    expect(jsonProblem(`${text}    `, new Error(longer))).toBe(longer);
  });

  it('a syntax error names the file, the line and the column', async () => {
    const json = tmpDir('data-config');
    writeFileSync(join(json, 'cutover.config.json'), '{\n  "project": "shop",\n}\n');
    await expect(loadConfig(json)).rejects.toThrow(
      /^could not read config cutover\.config\.json: .*line 3 column 1\)$/,
    );
    const yaml = tmpDir('data-config');
    writeFileSync(join(yaml, 'cutover.config.yml'), 'project: shop\nservices: [1\nsmoke: x: y\n');
    await expect(loadConfig(yaml)).rejects.toThrow(
      /^could not read config cutover\.config\.yml: .* at line 3, column 1$/,
    );
  });

  it('a TypeScript config comes first when a folder has both', async () => {
    const dir = tmpDir('data-config');
    writeFileSync(join(dir, 'cutover.config.json'), '{ "project": "from-json" }');
    writeFileSync(
      join(dir, 'cutover.config.mjs'),
      `export default ${JSON.stringify({ ...minimal(), project: 'from-mjs' })};`,
    );
    expect((await loadConfig(dir, undefined, { cacheDir: false })).project).toBe('from-mjs');
  });
});
