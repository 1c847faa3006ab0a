// RentGuy's state, in two keepings: in memory (the simulator without a database: a ten-item catalogue
// drawn from the seeded stream, bookings with fresh UUIDs) and in its PostgreSQL database (sim/db.ts:
// the seeded `equipment` and `bookings` tables, a booking's id from the table's sequence, booked by whole
// days). The route table (routes/rentguy.ts) speaks only to this interface.
import { randomUUID } from 'node:crypto';
import type { SimDb } from '../db.js';
import { type Rng, randomInt } from '../rng.js';

export interface Money {
  amount: number;
  currency: string;
}

export interface Equipment {
  id: string;
  name: string;
  category: string;
  dailyRate: Money;
  stock: number;
  weightKg: number;
}

export interface Booking {
  id: string;
  equipmentId: string;
  from: string;
  to: string;
  customer: unknown;
  quantity: number;
  days: number;
  total: Money;
  status: string;
  createdAt: string;
  cancelledAt?: string;
}

/** A booking the route has validated and priced. */
export interface NewBooking {
  equipment: Equipment;
  from: string;
  to: string;
  days: number;
  customer: string | { name: string; email?: string | undefined; company?: string | undefined };
  quantity: number;
  createdAt: string;
}

export interface RentguyStore {
  /** The catalogue in id order, at most `limit` items. */
  equipment(category: string | null, limit: number): Promise<Equipment[]>;
  equipmentById(id: string): Promise<Equipment | undefined>;
  /** The newest bookings first. */
  bookings(limit: number): Promise<Booking[]>;
  booking(id: string): Promise<Booking | undefined>;
  createBooking(b: NewBooking): Promise<Booking>;
  /** Cancelling twice keeps the first cancellation time, so a clean-up can simply retry. */
  cancelBooking(id: string, at: string): Promise<Booking | undefined>;
}

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

export function memoryRentguy(rng: Rng): RentguyStore {
  const equipment: Equipment[] = CATALOGUE.map(([name, category], i) => ({
    id: `eq-${1001 + i}`,
    name,
    category,
    dailyRate: { amount: randomInt(rng, 8, 120) * 5, currency: 'EUR' },
    stock: randomInt(rng, 2, 24),
    weightKg: randomInt(rng, 1, 60),
  }));
  const bookings = new Map<string, Booking>();
  return {
    equipment: async (category, limit) =>
      equipment.filter((e) => category === null || e.category === category).slice(0, limit),
    equipmentById: async (id) => equipment.find((e) => e.id === id),
    bookings: async (limit) => [...bookings.values()].reverse().slice(0, limit),
    booking: async (id) => bookings.get(id),
    async createBooking(b) {
      const booking: Booking = {
        id: randomUUID(),
        equipmentId: b.equipment.id,
        from: b.from,
        to: b.to,
        customer: b.customer,
        quantity: b.quantity,
        days: b.days,
        total: priced(b),
        status: 'confirmed',
        createdAt: b.createdAt,
      };
      bookings.set(booking.id, booking);
      return booking;
    },
    async cancelBooking(id, at) {
      const booking = bookings.get(id);
      if (booking && booking.status !== 'cancelled') {
        booking.status = 'cancelled';
        booking.cancelledAt = at;
      }
      return booking;
    },
  };
}

const priced = (b: NewBooking): Money => ({
  amount: b.days * b.quantity * b.equipment.dailyRate.amount,
  currency: b.equipment.dailyRate.currency,
});

// The API names equipment `eq-<1000 + id>`, as the catalogue has always been numbered.
const EQUIPMENT_ID = /^eq-(\d{4,9})$/;
const equipmentKey = (id: string) => {
  const m = EQUIPMENT_ID.exec(id);
  return m && Number(m[1]) > 1000 ? Number(m[1]) - 1000 : undefined;
};
const DAY_MS = 86_400_000;

type Row = Record<string, unknown>;

const toEquipment = (r: Row): Equipment => ({
  id: `eq-${1000 + Number(r.id)}`,
  name: String(r.name),
  category: String(r.category),
  dailyRate: { amount: Number(r.daily_rate), currency: 'EUR' },
  stock: Number(r.stock),
  weightKg: Number(r.weight_kg),
});

function toBooking(r: Row): Booking {
  const contact = r.contact as Record<string, string> | null;
  return {
    id: String(r.id),
    equipmentId: `eq-${1000 + Number(r.equipment_id)}`,
    from: String(r.starts_on),
    to: String(r.ends_on),
    customer: contact ? { name: r.customer, ...contact } : r.customer,
    quantity: Number(r.quantity),
    days: Math.max(1, Math.round((Date.parse(String(r.ends_on)) - Date.parse(String(r.starts_on))) / DAY_MS)),
    total: { amount: Number(r.total), currency: 'EUR' },
    status: String(r.status),
    createdAt: (r.created_at as Date).toISOString(),
    ...(r.cancelled_at ? { cancelledAt: (r.cancelled_at as Date).toISOString() } : {}),
  };
}

const EQUIPMENT_COLUMNS = 'id, name, category, daily_rate::text, stock, weight_kg::text';
const BOOKING_COLUMNS =
  'id, equipment_id, customer, contact, starts_on, ends_on, status, quantity, total::text, created_at, cancelled_at';
const isKey = (id: string) => /^\d{1,9}$/.test(id);

export function postgresRentguy(db: SimDb): RentguyStore {
  return {
    equipment: async (category, limit) =>
      (
        await db.query(
          `SELECT ${EQUIPMENT_COLUMNS} FROM equipment WHERE $1::text IS NULL OR category = $1 ORDER BY id LIMIT $2`,
          [category, limit],
        )
      ).map(toEquipment),
    async equipmentById(id) {
      const key = equipmentKey(id);
      if (key === undefined) return undefined;
      const [row] = await db.query(`SELECT ${EQUIPMENT_COLUMNS} FROM equipment WHERE id = $1`, [key]);
      return row ? toEquipment(row) : undefined;
    },
    bookings: async (limit) =>
      (await db.query(`SELECT ${BOOKING_COLUMNS} FROM bookings ORDER BY id DESC LIMIT $1`, [limit])).map(
        toBooking,
      ),
    async booking(id) {
      if (!isKey(id)) return undefined;
      const [row] = await db.query(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = $1`, [id]);
      return row ? toBooking(row) : undefined;
    },
    async createBooking(b) {
      // Booked by whole days from the first day: the table holds dates, and the price is per day.
      const startsOn = b.from.slice(0, 10);
      const { name, ...contact } = typeof b.customer === 'string' ? { name: b.customer } : b.customer;
      const details = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined));
      const [row] = await db.query(
        `INSERT INTO bookings (equipment_id, customer, contact, starts_on, ends_on, status, quantity, total, created_at)
         VALUES ($1, $2, $3, $4::date, $4::date + $5::int, 'confirmed', $6, $7, $8)
         RETURNING ${BOOKING_COLUMNS}`,
        [
          equipmentKey(b.equipment.id),
          name,
          Object.keys(details).length ? JSON.stringify(details) : null,
          startsOn,
          b.days,
          b.quantity,
          priced(b).amount,
          b.createdAt,
        ],
      );
      return toBooking(row!);
    },
    async cancelBooking(id, at) {
      if (!isKey(id)) return undefined;
      const [row] = await db.query(
        `UPDATE bookings SET cancelled_at = CASE WHEN status = 'cancelled' THEN cancelled_at ELSE $2::timestamptz END,
                status = 'cancelled'
         WHERE id = $1 RETURNING ${BOOKING_COLUMNS}`,
        [id, at],
      );
      return row ? toBooking(row) : undefined;
    },
  };
}
