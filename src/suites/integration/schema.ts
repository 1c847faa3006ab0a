// Checks scenarios at load time, so a mistake in a scenario file is reported with its file, scenario,
// step and field before any request is sent, rather than surfacing as a confusing failure mid-run.
import { z } from 'zod';
import { concretePath, parsePattern } from '../../core/parity/path.js';

const pattern = z
  .string()
  .refine((p) => typeof parsePattern(p) !== 'string', { error: 'cannot read this path pattern' });
const normaliser = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('timestamps'), paths: z.array(pattern).optional() }),
  z.strictObject({ kind: z.literal('uuids'), paths: z.array(pattern).optional() }),
  z.strictObject({
    kind: z.literal('unordered'),
    paths: z.array(pattern).optional(),
    key: z
      .string()
      .refine((k) => (concretePath(k)?.length ?? 0) > 0, {
        error: 'expected a field of an element, such as "id" or "labels.instance"',
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('replace'),
    pattern: z.string().refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
    flags: z.string().optional(),
    with: z.string(),
    paths: z.array(pattern).optional(),
  }),
]);
const paritySpec = z.strictObject({
  ignore: z.array(pattern).optional(),
  shape: z.array(pattern).optional(),
  normalise: z.array(normaliser).optional(),
  headers: z.array(z.string().min(1)).optional(),
  ignoreHeaders: z.array(z.string().min(1)).optional(),
  literal: z.array(pattern).optional(),
});
const zodSchema = z.custom<z.ZodType>(
  (v) =>
    typeof v === 'object' && v !== null && typeof (v as { safeParse?: unknown }).safeParse === 'function',
  'expected a zod schema',
);
const capture = z.string().refine((c) => c.startsWith('header:') || typeof parsePattern(c) !== 'string', {
  error: 'expected a body path such as "id" or "header:location"',
});

/** One step: request, expectations, captures (also a performance scenario's setup and teardown steps). */
export const stepSchema = z.strictObject({
  name: z.string().min(1),
  service: z.string().min(1).optional(),
  auth: z.union([z.string().min(1), z.literal(false)]).optional(),
  request: z
    .strictObject({
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
      path: z.string().startsWith('/', 'expected a path starting with "/"'),
      query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      json: z.unknown().optional(),
      form: z.record(z.string(), z.string()).optional(),
      timeoutMs: z.number().int().min(1).max(300_000).optional(),
      retries: z.number().int().min(0).max(5).optional(),
    })
    .refine(
      (r) => r.json === undefined || r.form === undefined,
      'a request has a json body or a form body, not both',
    ),
  expect: z
    .strictObject({
      status: z
        .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
        .optional(),
      schema: zodSchema.optional(),
      headers: z.record(z.string(), z.union([z.string(), z.instanceof(RegExp)])).optional(),
      maxDurationMs: z.number().positive().optional(),
      body: z.enum(['json', 'text', 'empty']).optional(),
    })
    .optional(),
  capture: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name'), capture)
    .optional(),
  parity: z.union([z.boolean(), paritySpec]).optional(),
});

export const scenarioSchema = z
  .object({
    $kind: z.literal('cutover.scenario').optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'expected a short id such as rentguy-booking'),
    title: z.string().optional(),
    service: z.string().min(1),
    auth: z.string().min(1).optional(),
    tags: z.array(z.string().min(1)).optional(),
    parity: paritySpec.optional(),
    setup: z.array(stepSchema).optional(),
    steps: z.array(stepSchema).min(1, 'a scenario needs at least one step'),
    teardown: z.array(stepSchema).optional(),
  })
  .superRefine((s, ctx) => {
    const names = [...(s.setup ?? []), ...s.steps, ...(s.teardown ?? [])].map((x) => x.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup)
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `two steps are named "${dup}"; step names must be unique`,
      });
  });
