// WPCS's pages (the managed site's WordPress pages), in memory or in WPCS's PostgreSQL database
// (sim/db.ts: the seeded `pages` table). Memory holds the very rows the seed writes (sim/databases.ts),
// so the API answers alike with and without a database. Only published pages are listed, newest first.
import type { SimDb } from '../db.js';

export interface Page {
  slug: string;
  title: string;
  body: string;
  updatedAt: Date;
}

export interface PageQuery {
  slug: string | null;
  limit: number;
  offset: number;
}

export interface WpcsStore {
  /** Published pages, newest first, and how many there are in all. */
  pages(q: PageQuery): Promise<{ total: number; items: Page[] }>;
}

const SEEDED_PAGES = 150;
const FIRST_UPDATE = Date.parse('2026-03-01T12:00:00Z');

export function memoryWpcs(): WpcsStore {
  // The seed's formula (sim/databases.ts, `pages`): 24 h 0.25 s apart, every sixth one unpublished.
  const published = Array.from({ length: SEEDED_PAGES }, (_, i) => i + 1)
    .filter((g) => g % 6 !== 0)
    .map((g) => ({
      slug: `page-${g}`,
      title: `Page ${g}`,
      body: 'Lorem ipsum '.repeat((g % 20) + 1),
      updatedAt: new Date(FIRST_UPDATE + g * 86_400_250),
    }))
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  return {
    async pages(q) {
      const matching = published.filter((p) => q.slug === null || p.slug === q.slug);
      return { total: matching.length, items: matching.slice(q.offset, q.offset + q.limit) };
    },
  };
}

export function postgresWpcs(db: SimDb): WpcsStore {
  return {
    pages: (q) =>
      // One snapshot for the count and the page, so x-wp-total agrees with the items.
      db.transaction(async (query) => {
        const where = 'WHERE published AND ($1::text IS NULL OR slug = $1)';
        const [count] = await query(`SELECT count(*)::int AS n FROM pages ${where}`, [q.slug]);
        const rows = await query(
          `SELECT slug, title, body, updated_at FROM pages ${where} ORDER BY updated_at DESC, slug LIMIT $2 OFFSET $3`,
          [q.slug, q.limit, q.offset],
        );
        return {
          total: Number(count!.n),
          items: rows.map((r) => ({
            slug: String(r.slug),
            title: String(r.title),
            body: String(r.body),
            updatedAt: r.updated_at as Date,
          })),
        };
      }),
  };
}
