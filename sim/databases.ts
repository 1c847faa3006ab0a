// The platform's databases in the simulator: RentGuy's, PSRA's and WPCS's schemas and rows, seeded alike
// on the baseline's and the target's PostgreSQL (the demo starts one server per environment, with
// different session defaults on purpose), and the data faults applied to a target database after seeding:
// rows dropped or changed, an index missing, a sequence set behind its table, a timestamp column migrated
// with less precision. Plain SQL, deterministic: a healthy pair holds the same rows to the bit.
import type { FaultSpec } from 'cutover';

export interface SimDatabase {
  /** The database's name on each server. */
  database: string;
  /** The service whose data it is (its API reads and writes it: sim/db.ts). */
  service: string;
  /** The target's namespace the service runs in: a Velero restore of it restores this database. */
  namespace: string;
  /**
   * DDL and rows. Timestamps are written with their offset and moved by hours, never days: adding a day
   * to a timestamptz depends on the session's TimeZone (DST), and the two servers' TimeZones differ.
   */
  seed: string;
  /** The column mutate-rows changes, per table. */
  mutable: Record<string, string>;
}

export const SIM_DATABASES: Record<string, SimDatabase> = {
  'rentguy-db': {
    database: 'rentguy',
    service: 'rentguy-api',
    namespace: 'sevensa-apps',
    seed: `
      CREATE TABLE equipment (
        id serial PRIMARY KEY, sku text NOT NULL UNIQUE, name text NOT NULL, category text NOT NULL,
        daily_rate numeric(10,2) NOT NULL, available boolean NOT NULL DEFAULT true, stock int NOT NULL,
        weight_kg numeric(6,1) NOT NULL);
      CREATE TABLE bookings (
        id serial PRIMARY KEY, equipment_id int NOT NULL REFERENCES equipment (id), customer text NOT NULL,
        starts_on date NOT NULL, ends_on date NOT NULL, status text NOT NULL DEFAULT 'confirmed',
        total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, quantity int NOT NULL DEFAULT 1,
        contact jsonb, cancelled_at timestamptz);
      CREATE INDEX bookings_equipment_idx ON bookings (equipment_id);
      CREATE INDEX bookings_starts_idx ON bookings (starts_on);
      INSERT INTO equipment (sku, name, category, daily_rate, stock, weight_kg)
        SELECT 'EQ-' || lpad(g::text, 4, '0'), (ARRAY['Speaker', 'Mixer', 'Light', 'Truss', 'Screen'])[g % 5 + 1] || ' ' || g,
               (ARRAY['audio', 'audio', 'light', 'rigging', 'video'])[g % 5 + 1], 25 + (g % 40) * 2.5,
               2 + g % 23, 1 + (g * 7) % 60 + (g % 10) / 10.0
        FROM generate_series(1, 120) g;
      INSERT INTO bookings (equipment_id, customer, starts_on, ends_on, status, total, created_at)
        SELECT g % 120 + 1, 'customer-' || (g % 37), DATE '2026-01-01' + (g % 300), DATE '2026-01-01' + (g % 300) + 1 + g % 5,
               (ARRAY['confirmed', 'confirmed', 'returned', 'cancelled'])[g % 4 + 1], (g % 90) * 12.5,
               TIMESTAMPTZ '2025-12-01 08:00:00+00' + g * INTERVAL '37 minutes 12.345678 seconds'
        FROM generate_series(1, 1500) g;`,
    mutable: { equipment: 'name', bookings: 'status' },
  },
  'psra-db': {
    database: 'psra',
    service: 'psra-api',
    namespace: 'sevensa-apps',
    seed: `
      CREATE TABLE assessments (
        id bigserial PRIMARY KEY, tenant text NOT NULL, subject text NOT NULL, score numeric NOT NULL,
        findings jsonb NOT NULL, assessed_at timestamptz NOT NULL);
      CREATE TABLE origin_checks (
        tenant text NOT NULL, code text NOT NULL, origin_country text NOT NULL, confidence float8 NOT NULL,
        PRIMARY KEY (tenant, code));
      INSERT INTO assessments (tenant, subject, score, findings, assessed_at)
        SELECT 'tenant-' || (g % 7), 'supplier ' || g, round((g % 100) / 3.0, 4),
               jsonb_build_object('risk', (ARRAY['low', 'medium', 'high'])[g % 3 + 1], 'items', g % 9),
               TIMESTAMPTZ '2026-02-01 00:00:00+00' + g * INTERVAL '3 hours 0.5 seconds'
        FROM generate_series(1, 600) g;
      INSERT INTO origin_checks
        SELECT 'tenant-' || (g % 7), 'HS' || lpad(g::text, 6, '0'), (ARRAY['NL', 'DE', 'CN', 'US'])[g % 4 + 1], (g % 97) / 97.0
        FROM generate_series(1, 400) g;`,
    mutable: { assessments: 'subject', origin_checks: 'origin_country' },
  },
  'wpcs-db': {
    database: 'wpcs',
    service: 'wpcs-api',
    namespace: 'sevensa-apps',
    seed: `
      CREATE TABLE pages (
        slug text PRIMARY KEY, title text NOT NULL, body text NOT NULL, published boolean NOT NULL,
        updated_at timestamptz NOT NULL);
      CREATE TABLE page_views (id serial PRIMARY KEY, slug text NOT NULL REFERENCES pages (slug), day date NOT NULL, views int NOT NULL);
      CREATE INDEX page_views_day_idx ON page_views (day);
      INSERT INTO pages SELECT 'page-' || g, 'Page ' || g, repeat('Lorem ipsum ', g % 20 + 1), g % 6 <> 0,
               TIMESTAMPTZ '2026-03-01 12:00:00+00' + g * INTERVAL '24 hours 0.25 seconds'
        FROM generate_series(1, 150) g;
      INSERT INTO page_views (slug, day, views)
        SELECT 'page-' || (g % 150 + 1), DATE '2026-03-01' + g % 60, g % 500 FROM generate_series(1, 900) g;`,
    mutable: { pages: 'title', page_views: 'views' },
  },
};

const ident = (name: string) =>
  name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');

/** Rows spread across a table, every (rows / n)-th by key: a fault is found by bisection, not by luck. */
const spread = (table: string, n: number) =>
  `SELECT ctid FROM (SELECT ctid, row_number() OVER (ORDER BY ctid) AS rn, count(*) OVER () AS c FROM ${ident(table)}) s
   WHERE rn % greatest(c / ${n}, 1) = 0 ORDER BY rn LIMIT ${n}`;

/** The SQL that applies one data fault to a seeded database (a user's mistake here is a clear error). */
export function dataFaultSql(db: SimDatabase, fault: FaultSpec['fault']): string {
  if (fault.kind !== 'data') return '';
  switch (fault.defect) {
    case 'drop-rows':
      return `DELETE FROM ${ident(fault.table!)} WHERE ctid IN (${spread(fault.table!, fault.count!)})`;
    case 'mutate-rows': {
      const column = db.mutable[fault.table!];
      if (!column)
        throw new Error(
          `mutate-rows: ${db.database} has no table ${fault.table}; tables: ${Object.keys(db.mutable).join(', ')}`,
        );
      return `UPDATE ${ident(fault.table!)} SET ${ident(column)} = ${ident(column)}${column === 'views' ? ' + 1' : " || ' (changed)'"} WHERE ctid IN (${spread(fault.table!, fault.count!)})`;
    }
    case 'missing-index':
      return `DROP INDEX ${ident(fault.name!)}`;
    case 'sequence-behind':
      return `SELECT setval('${fault.name!.replace(/'/g, "''")}', 1)`;
    case 'timestamp-precision': {
      const [table, column] = (fault.name ?? 'bookings.created_at').split('.') as [string, string];
      return `ALTER TABLE ${ident(table)} ALTER COLUMN ${ident(column)} TYPE timestamptz(0)`;
    }
  }
}
