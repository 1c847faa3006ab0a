// Noise an integration step's answers showed in earlier runs — values that moved and arrays whose order
// moved, by step — which a recorded baseline carries (`cutover baseline record`) and a later run starts
// from (`cutover run --noise-from NAME`), so what moves on a slow cycle is known before the baseline's
// own reads show it.
import { z } from 'zod';

export const stepNoiseSchema = z.object({
  scenario: z.string(),
  step: z.string(),
  /** Paths as parity writes them, `[*]` for any element: `data.activeTargets[*].lastScrapeDuration`. */
  paths: z.array(z.string()),
});

export type StepNoise = z.infer<typeof stepNoiseSchema>;
