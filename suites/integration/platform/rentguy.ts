// RentGuy: the equipment catalogue (migrated data, identical in both environments) and a booking's life:
// create, read, cancel. Bookings carry the run id in the customer name and are cancelled in teardown even
// when a step fails, so a failed run leaves nothing active behind.
import { defineFlow, z } from 'cutover';

const money = z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) });
const equipment = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  dailyRate: money,
  stock: z.number().int().nonnegative(),
  weightKg: z.number(),
});
const list = z.object({
  items: z.array(equipment),
  total: z.number().int(),
  requestId: z.uuid(),
  fetchedAt: z.iso.datetime(),
});
// A booking's id is whatever the API mints: a UUID, or the `bookings` table's sequence number.
const booking = z.object({
  id: z.string().min(1),
  equipmentId: z.string(),
  from: z.string(),
  to: z.string(),
  quantity: z.number().int().positive(),
  days: z.number().int().positive(),
  total: money,
  status: z.enum(['confirmed', 'cancelled']),
  createdAt: z.iso.datetime(),
});

export const rentguyEquipment = defineFlow({
  name: 'rentguy-equipment',
  title: 'RentGuy: list and read the equipment catalogue',
  service: 'rentguy-api',
  auth: 'service',
  tags: ['rentguy', 'read'],
  steps: [
    {
      name: 'list equipment',
      request: { method: 'GET', path: '/api/equipment' },
      expect: { status: 200, schema: list },
    },
    {
      name: 'filter by category',
      request: { method: 'GET', path: '/api/equipment', query: { category: 'audio' } },
      expect: { status: 200, schema: list },
    },
    {
      name: 'read one item',
      request: { method: 'GET', path: '/api/equipment/eq-1003' },
      expect: { status: 200, schema: equipment },
    },
    {
      name: 'refuse a forged token',
      auth: false,
      request: {
        method: 'GET',
        path: '/api/equipment',
        headers: { authorization: 'Bearer forged.token.value' },
      },
      expect: { status: 401 },
    },
  ],
});

export const rentguyBooking = defineFlow({
  name: 'rentguy-booking',
  title: 'RentGuy: create, read and cancel a booking',
  service: 'rentguy-api',
  auth: 'service',
  tags: ['rentguy', 'write'],
  parity: { headers: ['content-type', 'location'] },
  steps: [
    {
      name: 'create booking',
      request: {
        method: 'POST',
        path: '/api/bookings',
        json: {
          equipmentId: 'eq-1003',
          from: '2026-06-01T10:00:00Z',
          to: '2026-06-03T10:00:00Z',
          quantity: 2,
          customer: { name: 'Cutover {{runId}}', company: 'cutover-verification' },
        },
      },
      expect: {
        status: 201,
        schema: booking.extend({ status: z.literal('confirmed') }),
        headers: { location: /^\/api\/bookings\// },
      },
      capture: { bookingId: 'id' },
    },
    {
      name: 'read booking',
      request: { method: 'GET', path: '/api/bookings/{{bookingId}}' },
      expect: { status: 200, schema: booking },
    },
    {
      name: 'cancel booking',
      request: { method: 'DELETE', path: '/api/bookings/{{bookingId}}' },
      expect: {
        status: 200,
        schema: booking.extend({ status: z.literal('cancelled'), cancelledAt: z.iso.datetime() }),
      },
    },
  ],
  teardown: [
    {
      name: 'cancel booking (cleanup)',
      request: { method: 'DELETE', path: '/api/bookings/{{bookingId}}' },
      expect: { status: 200 },
    },
  ],
});
