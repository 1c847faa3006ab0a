// PSRA-LTSD: submitting a preferential-origin assessment (the write path feeding the LangGraph origin
// engine) and reading assessments back.
import { defineLoad } from 'cutover';

export default defineLoad({
  name: 'psra',
  description: 'PSRA-LTSD API: assessment submissions and reads',
  service: 'psra-api',
  executor: {
    executor: 'ramping-arrival-rate',
    startRate: 10,
    timeUnit: '1s',
    stages: [
      { duration: '15s', target: 60 },
      { duration: '30s', target: 60 },
      { duration: '15s', target: 10 },
    ],
    preAllocatedVUs: 10,
    maxVUs: 100,
    gracefulStop: '10s',
  },
  requests: [
    {
      weight: 1,
      method: 'GET',
      path: '/api/assessments?limit=20',
      endpoint: 'GET /api/assessments',
      checks: { 'status is 200': (r) => r.status === 200 },
    },
    {
      weight: 1,
      method: 'POST',
      path: '/api/assessments',
      body: ({ iteration }) => ({
        product: `Cutover load test product ${iteration % 50}`,
        hsCode: '850440',
        components: [
          { name: 'housing', originCountry: 'DE', valuePct: 55 },
          { name: 'controller', originCountry: 'CN', valuePct: 45 },
        ],
      }),
      checks: { accepted: (r) => r.status === 202 },
      tags: { type: 'write' },
    },
  ],
  thresholds: {
    http_req_duration: ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
  },
});
