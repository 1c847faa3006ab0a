// RentGuy: event-equipment rental. A stable catalogue (migrated data, identical in both environments)
// and bookings created during a run (fresh ids and timestamps, the way the real API mints them). With a
// database (sim/db.ts) both are rows of RentGuy's `equipment` and `bookings` tables (stores/rentguy.ts).

import { z } from 'zod';
import { isoNow, json, notFound, type Route, withBody } from '../route.js';
import { memoryRentguy, postgresRentguy } from '../stores/rentguy.js';
import { storeOf } from '../stores/select.js';
import { appService, listed, pageLimit } from './common.js';

const DAY_MS = 86_400_000;
const isDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date');

const bookingBody = z.object({
  equipmentId: z.string().min(1),
  from: isDate,
  to: isDate,
  customer: z.union([
    z.string().min(1),
    z.object({ name: z.string().min(1), email: z.string().optional(), company: z.string().optional() }),
  ]),
  quantity: z.number().int().min(1).optional(),
});

export const rentguyApi = appService('rentguy-api', '2.4.1', ({ rng, database }) => {
  const store = storeOf(database, () => memoryRentguy(rng), postgresRentguy);

  const cancel: Route['handler'] = async (ctx) => {
    const booking = await (await store()).cancelBooking(ctx.params.id!, isoNow(ctx));
    return booking ? json(booking) : notFound('booking');
  };

  return [
    {
      method: 'GET',
      path: '/api/equipment',
      // A page of the catalogue, 10 items unless `limit` asks more (as many as the memory catalogue
      // holds, so the frontend's table has the same rows either way): the migrated one holds 120.
      handler: async (ctx) =>
        json(
          listed(
            ctx,
            'items',
            await (await store()).equipment(ctx.query.get('category'), pageLimit(ctx, 10)),
          ),
        ),
    },
    {
      method: 'GET',
      path: '/api/equipment/:id',
      handler: async (ctx) => {
        const item = await (await store()).equipmentById(ctx.params.id!);
        return item ? json(item) : notFound('equipment');
      },
    },
    {
      method: 'GET',
      path: '/api/bookings',
      handler: async (ctx) => json(listed(ctx, 'items', await (await store()).bookings(pageLimit(ctx)))),
    },
    {
      method: 'POST',
      path: '/api/bookings',
      handler: (ctx) =>
        withBody(bookingBody, ctx, async (b) => {
          const s = await store();
          const item = await s.equipmentById(b.equipmentId);
          if (!item) return json({ error: `unknown equipmentId "${b.equipmentId}"` }, 422);
          const span = Date.parse(b.to) - Date.parse(b.from);
          if (span < 0) return json({ error: '"to" is before "from"' }, 422);
          const quantity = b.quantity ?? 1;
          if (quantity > item.stock) return json({ error: `only ${item.stock} in stock` }, 409);
          const booking = await s.createBooking({
            equipment: item,
            from: b.from,
            to: b.to,
            days: Math.max(1, Math.ceil(span / DAY_MS)),
            customer: b.customer,
            quantity,
            createdAt: isoNow(ctx),
          });
          return json(booking, 201, { location: `/api/bookings/${booking.id}` });
        }),
    },
    {
      method: 'GET',
      path: '/api/bookings/:id',
      handler: async (ctx) => {
        const booking = await (await store()).booking(ctx.params.id!);
        return booking ? json(booking) : notFound('booking');
      },
    },
    { method: 'DELETE', path: '/api/bookings/:id', handler: cancel },
    { method: 'POST', path: '/api/bookings/:id/cancel', handler: cancel },
  ];
});
