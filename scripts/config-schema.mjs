#!/usr/bin/env node
// Writes the config's JSON Schema (schemas/cutover.config.schema.json) and the config reference
// (docs/config-reference.md) from its zod schema, through the build: `npm run schema`. A unit test
// (test/unit/config-schema.test.ts) fails while either committed file is out of date.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { configJsonSchemaText } = await import(join(ROOT, 'dist/src/config/json-schema.js'));
const { renderConfigReference } = await import(join(ROOT, 'dist/src/config/reference.js'));
writeFileSync(join(ROOT, 'schemas/cutover.config.schema.json'), configJsonSchemaText());
writeFileSync(join(ROOT, 'docs/config-reference.md'), renderConfigReference());
process.stdout.write('wrote schemas/cutover.config.schema.json and docs/config-reference.md\n');
