// PSRA-LTSD: submit a preferential-origin assessment to the API and read its result, then ask the
// LangGraph origin engine directly. The verdict is computed from the input, so both environments must
// agree on every field of the result; only ids and timestamps may differ. The API has no delete: the
// assessment's product name carries the run id instead.
import { defineFlow, z } from 'cutover';

const input = {
  product: 'Aluminium bicycle frame (cutover {{runId}})',
  hsCode: '871491',
  components: [
    { name: 'frame tubes', originCountry: 'NL', valuePct: 55 },
    { name: 'welding and finishing', originCountry: 'NL', valuePct: 10 },
    { name: 'fork', originCountry: 'CN', valuePct: 35 },
  ],
};
const result = z.object({
  originCountry: z.string().regex(/^[A-Z]{2}$/),
  preferential: z.boolean(),
  rule: z.string(),
  originatingSharePct: z.number(),
  confidence: z.number().min(0).max(1),
});

export const psraAssessment = defineFlow({
  name: 'psra-origin-assessment',
  title: 'PSRA: submit an origin assessment and fetch the origin engine result',
  service: 'psra-api',
  auth: 'service',
  tags: ['psra', 'write'],
  parity: { headers: ['content-type', 'location'] },
  steps: [
    {
      name: 'submit assessment',
      request: { method: 'POST', path: '/api/assessments', json: input },
      expect: {
        status: 202,
        schema: z.object({
          id: z.string().min(1),
          status: z.literal('pending'),
          createdAt: z.iso.datetime(),
        }),
      },
      capture: { assessmentId: 'id' },
    },
    {
      name: 'fetch assessment result',
      request: { method: 'GET', path: '/api/assessments/{{assessmentId}}' },
      expect: {
        status: 200,
        schema: z.object({ id: z.string().min(1), status: z.literal('completed'), result }),
      },
    },
    {
      name: 'evaluate with the origin engine',
      service: 'psra-origin-engine',
      request: { method: 'POST', path: '/v1/origin/evaluate', json: input },
      expect: { status: 200, schema: z.object({ runId: z.uuid(), result, engineVersion: z.string() }) },
      capture: { engineRunId: 'runId' },
    },
    {
      name: 'read the engine run',
      service: 'psra-origin-engine',
      request: { method: 'GET', path: '/v1/origin/runs/{{engineRunId}}' },
      expect: { status: 200, schema: z.object({ runId: z.uuid(), result }) },
    },
  ],
});
