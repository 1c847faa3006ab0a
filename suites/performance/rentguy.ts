// RentGuy's main paths under load: browsing the equipment catalogue (the busiest read), opening one
// item, booking (the write path that matters commercially), and reading a booking back. The booking read
// needs a booking that exists in each environment: the setup creates one there, once, before the load,
// and the teardown cancels it afterwards.
import { defineLoad } from 'cutover';

const ok = { 'status is 200': (r: { status: number }) => r.status === 200 };

export default defineLoad({
  name: 'rentguy',
  description: 'RentGuy API: catalogue reads and bookings',
  service: 'rentguy-api',
  executor: {
    executor: 'constant-arrival-rate',
    // 100 it/s of catalogue reads and bookings, plus 20 it/s reading back the setup's booking: the other
    // endpoints keep the rates (and a comparison the sample counts) they had before the booking read.
    rate: 120,
    timeUnit: '1s',
    duration: '1m',
    preAllocatedVUs: 20,
    maxVUs: 200,
    gracefulStop: '10s',
  },
  requests: [
    {
      weight: 4,
      method: 'GET',
      path: '/api/equipment',
      checks: { ...ok, 'lists items': (r) => Array.isArray((r.json() as { items?: unknown })?.items) },
    },
    {
      weight: 3,
      method: 'GET',
      path: ({ iteration }) => `/api/equipment/eq-${1001 + (iteration % 10)}`,
      endpoint: 'GET /api/equipment/:id',
      checks: ok,
    },
    {
      // The setup's booking on this environment: the baseline's id on the baseline, the target's on the target.
      weight: 2,
      method: 'GET',
      path: '/api/bookings/{{bookingId}}',
      checks: { ...ok, 'is the booking': (r) => (r.json() as { id?: string })?.id !== undefined },
    },
    {
      weight: 3,
      method: 'POST',
      path: '/api/bookings',
      body: ({ iteration }) => ({
        equipmentId: `eq-${1001 + (iteration % 10)}`,
        from: '2027-06-01T10:00:00Z',
        to: '2027-06-02T10:00:00Z',
        customer: { name: 'Cutover load test', company: 'Sevensa' },
      }),
      // 409 is RentGuy's answer when stock is exhausted: a correct answer under load, not a failure.
      expectedStatuses: [201, 409],
      checks: { 'booking answered': (r) => r.status === 201 || r.status === 409 },
      tags: { type: 'write' },
    },
  ],
  setup: [
    {
      name: 'create booking',
      request: {
        method: 'POST',
        path: '/api/bookings',
        json: {
          equipmentId: 'eq-1003',
          from: '2027-07-01T10:00:00Z',
          to: '2027-07-02T10:00:00Z',
          customer: { name: 'Cutover load test {{runId}}', company: 'Sevensa' },
        },
      },
      expect: { status: 201 },
      capture: { bookingId: 'id' },
    },
  ],
  teardown: [
    {
      name: 'cancel booking',
      request: { method: 'DELETE', path: '/api/bookings/{{bookingId}}' },
      expect: { status: 200 },
    },
  ],
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
});
