// RentGuy: event-equipment rental. A stable catalogue (migrated data, identical in both environments)
// and bookings created during a run (fresh ids and timestamps, the way the real API mints them).

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { randomInt } from '../rng.js';
import { isoNow, json, notFound, type Route, withBody } from '../route.js';
import { appService, listed } from './common.js';

const CATALOGUE: ReadonlyArray<[name: string, category: string]> = [
  ['Pioneer CDJ-3000', 'dj'],
  ['Allen & Heath Xone:96', 'dj'],
  ['QSC K12.2 speaker', 'audio'],
  ['Shure SM58 microphone', 'audio'],
  ['Yamaha DM3 mixing console', 'audio'],
  ['Robe LEDBeam 150', 'lighting'],
  ['Chauvet Rogue R2 Wash', 'lighting'],
  ['Antari Z-1500 fog machine', 'effects'],
  ['Prolyte H30V truss 3m', 'rigging'],
  ['Panasonic PT-RZ990 projector', 'video'],
];

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

interface Booking {
  id: string;
  equipmentId: string;
  from: string;
  to: string;
  customer: unknown;
  quantity: number;
  days: number;
  total: { amount: number; currency: string };
  status: 'confirmed' | 'cancelled';
  createdAt: string;
  cancelledAt?: string;
}

export const rentguyApi = appService('rentguy-api', '2.4.1', ({ rng }) => {
  const equipment = CATALOGUE.map(([name, category], i) => ({
    id: `eq-${1001 + i}`,
    name,
    category,
    dailyRate: { amount: randomInt(rng, 8, 120) * 5, currency: 'EUR' },
    stock: randomInt(rng, 2, 24),
    weightKg: randomInt(rng, 1, 60),
  }));
  const bookings = new Map<string, Booking>();

  const cancel: Route['handler'] = (ctx) => {
    const booking = bookings.get(ctx.params.id!);
    if (!booking) return notFound('booking');
    // Cancelling twice is harmless and keeps the first cancellation time, so cleanup can simply retry.
    if (booking.status !== 'cancelled') {
      booking.status = 'cancelled';
      booking.cancelledAt = isoNow(ctx);
    }
    return json(booking);
  };

  return [
    {
      method: 'GET',
      path: '/api/equipment',
      handler: (ctx) => {
        const category = ctx.query.get('category');
        return json(
          listed(
            ctx,
            'items',
            equipment.filter((e) => category === null || e.category === category),
          ),
        );
      },
    },
    {
      method: 'GET',
      path: '/api/equipment/:id',
      handler: (ctx) => {
        const item = equipment.find((e) => e.id === ctx.params.id);
        return item ? json(item) : notFound('equipment');
      },
    },
    {
      method: 'GET',
      path: '/api/bookings',
      handler: (ctx) => json(listed(ctx, 'items', [...bookings.values()])),
    },
    {
      method: 'POST',
      path: '/api/bookings',
      handler: (ctx) =>
        withBody(bookingBody, ctx, (b) => {
          const item = equipment.find((e) => e.id === b.equipmentId);
          if (!item) return json({ error: `unknown equipmentId "${b.equipmentId}"` }, 422);
          const span = Date.parse(b.to) - Date.parse(b.from);
          if (span < 0) return json({ error: '"to" is before "from"' }, 422);
          const quantity = b.quantity ?? 1;
          if (quantity > item.stock) return json({ error: `only ${item.stock} in stock` }, 409);
          const days = Math.max(1, Math.ceil(span / DAY_MS));
          const booking: Booking = {
            id: randomUUID(),
            equipmentId: item.id,
            from: b.from,
            to: b.to,
            customer: b.customer,
            quantity,
            days,
            total: { amount: days * quantity * item.dailyRate.amount, currency: item.dailyRate.currency },
            status: 'confirmed',
            createdAt: isoNow(ctx),
          };
          bookings.set(booking.id, booking);
          return json(booking, 201, { location: `/api/bookings/${booking.id}` });
        }),
    },
    {
      method: 'GET',
      path: '/api/bookings/:id',
      handler: (ctx) => {
        const booking = bookings.get(ctx.params.id!);
        return booking ? json(booking) : notFound('booking');
      },
    },
    { method: 'DELETE', path: '/api/bookings/:id', handler: cancel },
    { method: 'POST', path: '/api/bookings/:id/cancel', handler: cancel },
  ];
});
