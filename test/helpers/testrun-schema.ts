// Checks a TestRun against the k6-operator's own CRD schema (test/fixtures/k6-operator, with its source),
// as a cluster's API server would: a wrong type or a missing required field is refused there, and a field
// the schema does not know is silently pruned — so here an unknown field is a problem too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ROOT } from './project.js';

type Schema = Record<string, unknown>;

/** Object schemas without an explicit rule for extra keys get none: the API server would prune them. */
function closed(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closed);
  if (!s || typeof s !== 'object') return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s as Schema)) out[k] = closed(v);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  )
    out.additionalProperties = false;
  return out;
}

let validate: ValidateFunction | undefined;

/** What keeps a TestRun from being accepted as written: empty when the CRD's v1alpha1 schema takes it. */
export function testRunProblems(testRun: unknown): string[] {
  if (!validate) {
    const crd = parse(readFileSync(join(ROOT, 'test/fixtures/k6-operator/k6.io_testruns.yaml'), 'utf8')) as {
      spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
    };
    const v1 = crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema;
    // metadata is the API server's own (ObjectMeta); the CRD leaves it open.
    const schema = closed(v1) as Schema;
    (schema.properties as Schema).metadata = { type: 'object' };
    // OpenAPI's x-kubernetes-* keywords and formats (int32, int-or-string) are not JSON Schema's.
    validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }
  if (validate(testRun)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`,
  );
}
