// The config's JSON Schema (draft 2020-12), generated from its zod schema (schema.ts), so the two cannot
// drift: published as schemas/cutover.config.schema.json for editors (completion, hover and checking of
// a cutover.config.json or .yaml, `"$schema"` or `# yaml-language-server: $schema=`), and rendered as
// docs/config-reference.md (reference.ts). `npm run schema` writes both; a unit test fails when either
// is out of date. It describes what a user writes (zod's input side: defaults may be left out).
//
// What it cannot say, and the CLI still checks when it loads a config: the rules across fields (the
// `baseline` environment is `compose` and the `target` is `kubernetes`; every service an environment
// lists is declared under `services`; at least one service). Everything in the config is data — no
// field takes a function — so a JSON or YAML config can say all a TypeScript one can, except what code
// gives: values computed from others, imports, and a default export that is a function.
import { z } from 'zod';
import { configSchema } from './schema.js';

export const CONFIG_SCHEMA_ID = 'https://sevensa.example/schemas/cutover.config.schema.json';

/** A JSON Schema object as zod writes it. */
export type JsonSchema = z.core.JSONSchema.JSONSchema;

export function configJsonSchema(): JsonSchema {
  const { $schema, properties, ...rest } = z.toJSONSchema(configSchema, {
    target: 'draft-2020-12',
    io: 'input',
  }) as JsonSchema & { properties: Record<string, JsonSchema> };
  return {
    $schema,
    $id: CONFIG_SCHEMA_ID,
    title: 'Cutover config',
    description:
      'cutover.config.ts (defineConfig), .json or .yaml: the environments, the services and each suite’s settings. Generated from the config’s zod schema.',
    ...rest,
    properties: {
      // A JSON or YAML config may name this schema; the CLI ignores the key.
      $schema: { type: 'string', description: 'The JSON Schema this file follows, for editors.' },
      ...properties,
    },
  };
}

/** The published file's text: the schema, two-space indented, with a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
