// docs/config-reference.md, rendered from the config's JSON Schema (json-schema.ts) and so from its zod
// schema: every field with its type, default, range and description. A string, as renderers are;
// `npm run schema` writes it, and a unit test fails when the committed page is out of date.
import { CONFIG_SCHEMA_ID, configJsonSchema, type JsonSchema } from './json-schema.js';

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

type Schema = Exclude<JsonSchema, boolean>;

/** The name a record's keys get in a path: `services.<service>.tier`. */
const KEY_NAMES: Record<string, string> = {
  auth: 'profile',
  environments: 'environment',
  services: 'service',
  databases: 'database',
  templates: 'template',
  tables: 'table',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function variants(s: Schema): Schema[] {
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].filter((v): v is Schema => typeof v === 'object');
}

function range(s: Schema): string {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const low = num(s.minimum) ?? num(s.exclusiveMinimum);
  const high = num(s.maximum) ?? num(s.exclusiveMaximum);
  if (low === undefined && high === undefined) return '';
  const n = (v: number) => v.toLocaleString('en').replace(/,/g, ' ');
  if (low !== undefined && high !== undefined) return ` ${n(low)}–${n(high)}`;
  return low !== undefined ? ` ≥ ${n(low)}` : ` ≤ ${n(high!)}`;
}

/** A schema's type in a few words: `integer 1–50`, `"a" | "b"`, `string[]`, `{ [name]: object }`. */
export function typeOf(s: JsonSchema, key = 'name'): string {
  if (typeof s === 'boolean') return s ? 'any' : 'nothing';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = variants(s);
  if (alternatives.length > 0) return [...new Set(alternatives.map((v) => typeOf(v, key)))].join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  switch (s.type) {
    case 'array':
      return s.items && typeof s.items === 'object' && !Array.isArray(s.items)
        ? `${wrap(typeOf(s.items))}[]`
        : 'array';
    case 'object':
      if (s.properties) return 'object';
      if (typeof s.additionalProperties === 'object')
        return `{ [${key}]: ${wrap(typeOf(s.additionalProperties))} }`;
      return 'object';
    case 'integer':
    case 'number':
      return `${s.type}${range(s)}`;
    case 'string':
      return s.format === 'uri' ? 'URL' : 'string';
    case undefined:
      return 'any';
    default:
      return String(s.type);
  }
}

const wrap = (type: string) => (type.includes(' | ') ? `(${type})` : type);

function defaultOf(s: Schema, required: boolean): string {
  if (s.default !== undefined) return code(JSON.stringify(s.default));
  return required ? 'required' : '—';
}

/** The rows of one object's fields, and of every object below them, with dotted paths. */
function rows(s: Schema, prefix: string, out: Row[] = []): Row[] {
  const required = new Set(s.required ?? []);
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    if (typeof field !== 'object') continue;
    const path = `${prefix}${name}`;
    const keyName = KEY_NAMES[name] ?? 'name';
    const nested = below(field, path, keyName);
    out.push({
      path,
      type: typeOf(field, keyName),
      // An object's default is its fields' defaults, listed in their rows.
      default:
        nested.length > 0 && field.default !== undefined
          ? '(its fields’)'
          : defaultOf(field, required.has(name)),
      description: field.description ?? '',
    });
    out.push(...nested);
  }
  return out;
}

/** The fields below a field: an object's, a record's values', an array's items', each union member's. */
function below(s: Schema, path: string, keyName: string): Row[] {
  if (s.properties) return rows(s, `${path}.`);
  if (s.type === 'object' && typeof s.additionalProperties === 'object')
    return below(s.additionalProperties, `${path}.<${keyName}>`, 'name');
  if (s.type === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items))
    return below(s.items, `${path}[]`, 'name');
  const members = variants(s).filter((v) => v.properties);
  if (members.length === 0) return [];
  // A discriminated union (an environment's `kind`): a field some members lack says which have it.
  const merged = new Map<string, Row & { in: string[] }>();
  for (const member of members) {
    const tag = Object.entries(member.properties ?? {}).find(
      ([, p]) => typeof p === 'object' && p.const !== undefined,
    );
    for (const row of rows(member, `${path}.`)) {
      const seen = merged.get(row.path);
      const label = tag ? `${tag[0]}: ${JSON.stringify((tag[1] as Schema).const)}` : '';
      if (seen) {
        seen.in.push(label);
        if (row.type !== seen.type && !seen.type.split(' | ').includes(row.type))
          seen.type += ` | ${row.type}`;
      } else merged.set(row.path, { ...row, in: [label] });
    }
  }
  return [...merged.values()].map(({ in: where, ...row }) =>
    where.length < members.length && where.every(Boolean)
      ? {
          ...row,
          description: `${row.description}${row.description ? ' ' : ''}(only with ${where.join(', ')})`,
        }
      : row,
  );
}

function table(list: Row[]): string {
  const lines = ['| field | type | default | description |', '|---|---|---|---|'];
  for (const r of list)
    lines.push(`| ${code(r.path)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`);
  return lines.join('\n');
}

export function renderConfigReference(): string {
  const schema = configJsonSchema() as Schema;
  const top: Row[] = [];
  const sections: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (typeof field !== 'object') continue;
    const keyName = KEY_NAMES[name] ?? 'name';
    const nested = below(field, name, keyName);
    const row = {
      path: name,
      type: typeOf(field, keyName),
      default:
        nested.length > 0 && field.default !== undefined
          ? '(its fields’)'
          : defaultOf(field, required.has(name)),
      description: field.description ?? '',
    };
    top.push(row);
    if (nested.length > 0)
      sections.push(
        `## ${name}\n\n${field.description ? `${field.description} ` : ''}Explained in [configuration](configuration.md#${name}).\n\n${table(nested)}\n`,
      );
  }
  return `<!-- Generated from the config's zod schema by \`npm run schema\` (src/config/reference.ts): do not edit by hand. -->
# Config reference

Every field of the config, with its type, default and range, generated from the config's zod schema;
[Configuration](configuration.md) explains each section with examples. The same schema is published
as JSON Schema, [schemas/cutover.config.schema.json](../schemas/cutover.config.schema.json)
(\`$id\` ${CONFIG_SCHEMA_ID}), for editors: completion and checking of a \`cutover.config.json\` or
\`cutover.config.yaml\` ([configuration](configuration.md#the-config-file)).

A path reads like the config: \`services.<service>.health.path\` is the \`path\` of the \`health\` of
each service under \`services\`; \`[]\` is each item of a list. The CLI also checks what a JSON Schema
cannot: the \`baseline\` environment is \`compose\` and the \`target\` is \`kubernetes\`, each service an
environment lists is declared under \`services\`, and there is at least one service.

Contents: ${sections
    .map((s) => s.slice(3, s.indexOf('\n')))
    .map((n) => `[${n}](#${n.toLowerCase()})`)
    .join(' · ')}

## Top level

${table(top)}

${sections.join('\n')}`;
}
