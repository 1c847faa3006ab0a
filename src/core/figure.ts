// The number type of the run record's model: the schema of a `number` field (a latency, a count, a
// rate) as the model's types are inferred from it and as a record is read back with it.
import { z } from 'zod';

/**
 * A number of the model (`number`), as JSON can hold it. JSON has no NaN or ±Infinity: JSON.stringify
 * writes them as null, and a quantile of no samples or a ratio over zero is such a number. Read back,
 * null is NaN again — a number that is not a figure, which the gates and renderers already handle as
 * the run did (null would pass for 0 in arithmetic) — so one such value cannot make a run unreadable.
 * Fields whose model is `number | null` keep null (`z.number().nullable()`); a check's `data` values
 * are scalars, null among them.
 */
export const figure = z
  .union([z.number(), z.null()])
  .transform((v) => v ?? Number.NaN)
  .meta({ description: 'a number; null where it was not finite (NaN or Infinity)' });
