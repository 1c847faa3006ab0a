// The simulated RentGuy, PSRA and WPCS APIs on real PostgreSQL: given a server per environment (as the
// demo gives them), their rows live in the seeded databases — a booking made through the API is a row of
// `bookings`, the catalogue and the pages are the tables' rows — so a row written on one side only is a
// difference the data diff names. A server that did not come up leaves the APIs in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_DATABASES } from '../../sim/databases.js';
import { type RunningSimulator, startSimulator } from '../../sim/index.js';
import { diffDatabases } from '../../src/runners/postgres/diff.js';
import { type PostgresServer, sql, startPostgresPair } from '../helpers/postgres.js';

const APIS = ['rentguy-api', 'psra-api', 'wpcs-api'];
let pair: { baseline: PostgresServer; target: PostgresServer; stop(): Promise<void> };
let sim: RunningSimulator;
let memory: RunningSimulator;

const server = (s: PostgresServer) => ({
  host: s.connection.host,
  port: s.connection.port,
  user: s.connection.user,
  password: s.connection.password,
});
const urlOf = (r: RunningSimulator, env: string, service: string) =>
  r.endpoints.find((e) => e.environment === env && e.service === service)!.url;

async function call(url: string, init?: { method?: string; json?: unknown }) {
  const res = await fetch(url, {
    method: init?.method ?? (init?.json ? 'POST' : 'GET'),
    ...(init?.json
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) }
      : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are free-form JSON
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

beforeAll(async () => {
  pair = await startPostgresPair(Object.values(SIM_DATABASES).map((d) => d.database));
  await Promise.all(
    [pair.baseline, pair.target].flatMap((s) =>
      Object.values(SIM_DATABASES).map((d) => sql(s.connectionTo(d.database), d.seed)),
    ),
  );
  const listeners = ['baseline', 'target'].flatMap((environment) =>
    APIS.map((service) => ({ environment, service, host: '127.0.0.1', port: 0 })),
  );
  sim = await startSimulator({
    listeners,
    // The target's server as a promise, as the demo hands it over while PostgreSQL still starts.
    databases: { baseline: server(pair.baseline), target: Promise.resolve(server(pair.target)) },
  });
  // A server that never came up: the APIs keep their state in memory.
  memory = await startSimulator({ listeners, databases: { baseline: Promise.resolve(undefined) } });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  await memory?.stop();
  await pair?.stop();
});

describe('the simulated APIs on their databases', () => {
  it('serves the equipment catalogue from the equipment table, and a changed row changes the answer', async () => {
    const api = urlOf(sim, 'target', 'rentguy-api');
    expect((await call(`${api}/api/equipment`)).body.items).toHaveLength(10);
    const all = await call(`${api}/api/equipment?limit=200`);
    expect(all.body.items).toHaveLength(120);
    expect(all.body.items.at(-1).id).toBe('eq-1120');
    const [row] = (await sql(pair.target.connectionTo('rentguy'), 'SELECT * FROM equipment WHERE id = 3'))
      .rows;
    expect(await call(`${api}/api/equipment/eq-1003`)).toMatchObject({
      status: 200,
      body: { id: 'eq-1003', name: row.name, category: row.category, stock: row.stock },
    });
    await sql(pair.target.connectionTo('rentguy'), "UPDATE equipment SET name = 'Moved' WHERE id = 4");
    expect((await call(`${api}/api/equipment/eq-1004`)).body.name).toBe('Moved');
    const baseline = await call(`${urlOf(sim, 'baseline', 'rentguy-api')}/api/equipment/eq-1004`);
    expect(baseline.body.name).not.toBe('Moved');
    await sql(pair.target.connectionTo('rentguy'), `UPDATE equipment SET name = $1 WHERE id = 4`, [
      baseline.body.name,
    ]);
  });

  it('a booking made through the API is a row of bookings, and data parity names it when only one side has it', async () => {
    const api = urlOf(sim, 'baseline', 'rentguy-api');
    const created = await call(`${api}/api/bookings`, {
      json: {
        equipmentId: 'eq-1003',
        from: '2026-06-01T10:00:00Z',
        to: '2026-06-03T10:00:00Z',
        quantity: 2,
        customer: { name: 'Cutover run 7', company: 'cutover-verification' },
      },
    });
    expect(created.status).toBe(201);
    // The id is the table's next sequence value: the seed holds 1500 bookings.
    expect(created.body).toMatchObject({
      id: '1501',
      from: '2026-06-01',
      to: '2026-06-03',
      days: 2,
      status: 'confirmed',
    });
    expect(created.headers.get('location')).toBe('/api/bookings/1501');
    const [row] = (await sql(pair.baseline.connectionTo('rentguy'), 'SELECT * FROM bookings WHERE id = 1501'))
      .rows;
    expect(row).toMatchObject({
      equipment_id: 3,
      customer: 'Cutover run 7',
      contact: { company: 'cutover-verification' },
      quantity: 2,
      total: String(created.body.total.amount.toFixed(2)),
      status: 'confirmed',
    });
    expect((await call(`${api}/api/bookings/1501`)).body).toEqual(created.body);

    const diff = await diffDatabases(
      pair.baseline.connectionTo('rentguy'),
      pair.target.connectionTo('rentguy'),
      {
        tables: ['bookings'],
      },
    );
    const bookings = diff.tables.find((t) => t.table === 'public.bookings')!;
    expect(bookings.status).toBe('different');
    expect(bookings.counts).toEqual({ baseline: 1501, target: 1500 });
    expect(bookings.missing).toEqual([{ id: '1501' }]);

    const cancelled = await call(`${api}/api/bookings/1501`, { method: 'DELETE' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    const again = await call(`${api}/api/bookings/1501`, { method: 'DELETE' });
    expect(again.body.cancelledAt).toBe(cancelled.body.cancelledAt);
    const [after] = (
      await sql(
        pair.baseline.connectionTo('rentguy'),
        'SELECT status, cancelled_at FROM bookings WHERE id = 1501',
      )
    ).rows;
    expect(after.status).toBe('cancelled');
    expect((after.cancelled_at as Date).toISOString()).toBe(cancelled.body.cancelledAt);
    expect((await call(`${api}/api/bookings/nope`)).status).toBe(404);
    expect(
      (
        await call(`${api}/api/bookings`, {
          json: { equipmentId: 'eq-9999', from: '2026-01-01', to: '2026-01-02', customer: 'x' },
        })
      ).status,
    ).toBe(422);
  });

  it('an assessment is a row of assessments, completed on its first read', async () => {
    const api = urlOf(sim, 'target', 'psra-api');
    const accepted = await call(`${api}/api/assessments`, {
      json: {
        product: 'Bicycle frame',
        hsCode: '871491',
        components: [
          { name: 'tubes', originCountry: 'NL', valuePct: 65 },
          { name: 'fork', originCountry: 'CN', valuePct: 35 },
        ],
      },
    });
    expect(accepted).toMatchObject({ status: 202, body: { id: '601', status: 'pending' } });
    const read = await call(`${api}/api/assessments/601`);
    expect(read.body).toMatchObject({
      id: '601',
      status: 'completed',
      result: { originCountry: 'NL', preferential: true },
    });
    const [row] = (await sql(pair.target.connectionTo('psra'), 'SELECT * FROM assessments WHERE id = 601'))
      .rows;
    expect(row).toMatchObject({ tenant: 'api', subject: 'Bicycle frame', score: '65' });
    expect(row.findings.result.originCountry).toBe('NL');
    const list = await call(`${api}/api/assessments?limit=3`);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual(['601', '600', '599']);
  });

  it("serves WPCS's published pages from the pages table", async () => {
    const api = urlOf(sim, 'baseline', 'wpcs-api');
    const pages = await call(`${api}/wp-json/wp/v2/pages?per_page=5`);
    expect(pages.headers.get('x-wp-total')).toBe('125');
    expect(pages.body.map((p: { slug: string }) => p.slug)).toEqual([
      'page-149',
      'page-148',
      'page-147',
      'page-146',
      'page-145',
    ]);
    await sql(
      pair.baseline.connectionTo('wpcs'),
      "UPDATE pages SET published = false WHERE slug = 'page-149'",
    );
    expect((await call(`${api}/wp-json/wp/v2/pages?per_page=1`)).body[0].slug).toBe('page-148');
    // Without a database the same pages come from memory.
    const kept = await call(`${urlOf(memory, 'target', 'wpcs-api')}/wp-json/wp/v2/pages?per_page=5`);
    expect(kept.headers.get('x-wp-total')).toBe('125');
    expect(kept.body).toEqual(
      (await call(`${urlOf(sim, 'target', 'wpcs-api')}/wp-json/wp/v2/pages?per_page=5`)).body,
    );
  });

  it('keeps bookings in memory when the server did not come up, or none was given', async () => {
    for (const env of ['baseline', 'target']) {
      const created = await call(`${urlOf(memory, env, 'rentguy-api')}/api/bookings`, {
        json: { equipmentId: 'eq-1003', from: '2025-06-01', to: '2025-06-03', customer: 'x' },
      });
      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
