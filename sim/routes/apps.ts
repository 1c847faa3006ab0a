// The remaining in-house applications: WPCS (managed WordPress sites), the Claude chat front, the trading
// dashboard, and the three web frontends. Their data is migrated data: drawn from the seeded stream, so
// it is identical in every environment, with only per-response ids and timestamps fresh. WPCS's pages are
// rows of its `pages` table when the simulator has its database (stores/wpcs.ts).

import { type Rng, randomInt, seededUuid } from '../rng.js';
import { isoNow, json } from '../route.js';
import { storeOf } from '../stores/select.js';
import { memoryWpcs, type Page, postgresWpcs } from '../stores/wpcs.js';
import { CLAUDE_CHAT_WEB, PSRA_WEB, RENTGUY_WEB, TRADING_WEB, WPCS_WEB } from '../web/apps.js';
import { appService, frontendService, listed } from './common.js';

const SITE_URL = 'https://wpcs.sevensa.nl';
const TITLES = [
  'Preparing your site for PHP 8.3',
  'Monthly maintenance report: October',
  'How we back up every site, every night',
  'New: staging environments for all plans',
  'WooCommerce checkout speed improvements',
  'Security notice: plugin updates applied',
  'Accessibility checks now part of every release',
  'Moving DNS without downtime',
  'Image optimisation, explained',
  'Customer story: a museum goes multilingual',
  'Uptime last quarter: 99.98%',
  'Roadmap for the coming year',
];

function wpPosts(rng: Rng) {
  const start = Date.parse('2024-01-08T09:00:00Z');
  return TITLES.map((title, i) => {
    const date = new Date(start + i * 9 * 86_400_000 + randomInt(rng, 0, 8) * 3_600_000)
      .toISOString()
      .slice(0, 19);
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/(^-|-$)/g, '');
    const id = 101 + i;
    return {
      id,
      date,
      date_gmt: date,
      guid: { rendered: `${SITE_URL}/?p=${id}` },
      modified: date,
      modified_gmt: date,
      slug,
      status: 'publish',
      type: 'post',
      link: `${SITE_URL}/${slug}/`,
      title: { rendered: title },
      content: { rendered: `<p>${title}.</p>\n`, protected: false },
      excerpt: { rendered: `<p>${title}.</p>\n`, protected: false },
      author: randomInt(rng, 1, 3),
      featured_media: 0,
      comment_status: 'closed',
      ping_status: 'closed',
      sticky: false,
      format: 'standard',
      categories: [randomInt(rng, 1, 4)],
      tags: [],
    };
  });
}

/** A page as WordPress' REST API shows it (modified to the second, as WordPress stores it). */
const wpPage = (p: Page) => {
  const modified = p.updatedAt.toISOString().slice(0, 19);
  return {
    slug: p.slug,
    status: 'publish',
    type: 'page',
    link: `${SITE_URL}/${p.slug}/`,
    modified,
    modified_gmt: modified,
    title: { rendered: p.title },
    content: { rendered: `<p>${p.body.trim()}</p>\n`, protected: false },
  };
};

/** WordPress REST errors carry a code, a message and the status again in `data`. */
const wpError = (code: string, message: string, status: number) =>
  json({ code, message, data: { status } }, status);

export const wpcsApi = appService('wpcs-api', '1.3.2', ({ rng, database }) => {
  const posts = wpPosts(rng);
  const store = storeOf(database, memoryWpcs, postgresWpcs);
  const sites = ['sevensa.nl', 'museum-aan-zee.nl', 'bakkerij-devries.nl', 'fietsverhuur-utrecht.nl'].map(
    (domain, i) => ({
      id: `site-${String(i + 1).padStart(2, '0')}`,
      domain,
      status: 'active',
      plan: ['business', 'basic', 'basic', 'commerce'][i],
      wordpressVersion: '6.6.2',
      phpVersion: '8.3',
      pluginCount: randomInt(rng, 6, 30),
    }),
  );
  return [
    {
      method: 'GET',
      path: '/wp-json',
      handler: () =>
        json({ name: 'WPCS', description: 'Managed WordPress', url: SITE_URL, namespaces: ['wp/v2'] }),
    },
    {
      method: 'GET',
      path: '/wp-json/wp/v2/posts',
      handler: (ctx) => {
        const perPage = clamp(Number(ctx.query.get('per_page') ?? 10), 1, 100);
        const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
        const pages = Math.ceil(posts.length / perPage);
        if (page > pages) {
          return wpError(
            'rest_post_invalid_page_number',
            'The page number requested is larger than the number of pages available.',
            400,
          );
        }
        const headers = { 'x-wp-total': String(posts.length), 'x-wp-totalpages': String(pages) };
        return json(posts.slice((page - 1) * perPage, page * perPage), 200, headers);
      },
    },
    {
      method: 'GET',
      path: '/wp-json/wp/v2/posts/:id',
      handler: (ctx) => {
        const post = posts.find((p) => String(p.id) === ctx.params.id);
        return post ? json(post) : wpError('rest_post_invalid_id', 'Invalid post ID.', 404);
      },
    },
    {
      // The site's pages: rows of WPCS's `pages` table when the simulator has its database.
      method: 'GET',
      path: '/wp-json/wp/v2/pages',
      handler: async (ctx) => {
        const perPage = clamp(Number(ctx.query.get('per_page') ?? 10), 1, 100);
        const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
        const found = await (await store()).pages({
          slug: ctx.query.get('slug'),
          limit: perPage,
          offset: (page - 1) * perPage,
        });
        const pages = Math.max(1, Math.ceil(found.total / perPage));
        if (page > pages) {
          return wpError(
            'rest_post_invalid_page_number',
            'The page number requested is larger than the number of pages available.',
            400,
          );
        }
        const headers = { 'x-wp-total': String(found.total), 'x-wp-totalpages': String(pages) };
        return json(found.items.map(wpPage), 200, headers);
      },
    },
    { method: 'GET', path: '/api/sites', handler: (ctx) => json(listed(ctx, 'sites', sites)) },
  ];
});

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : min;
}

const MODELS: ReadonlyArray<[id: string, name: string, created: string]> = [
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z'],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05T00:00:00Z'],
  ['claude-3-5-haiku-20241022', 'Claude Haiku 3.5', '2024-10-22T00:00:00Z'],
];

const claudeChatApi = appService('claude-chat', '0.9.4', ({ rng }) => {
  const models = MODELS.map(([id, display_name, created_at]) => ({
    type: 'model',
    id,
    display_name,
    created_at,
  }));
  const topics = [
    'Quarterly report outline',
    'Customs tariff question',
    'Rental contract wording',
    'SQL query review',
  ];
  const conversations = topics.map((title, i) => {
    const at = new Date(Date.parse('2025-03-03T08:00:00Z') + i * 86_400_000).toISOString();
    return {
      id: seededUuid(rng),
      title,
      model: MODELS[i % MODELS.length]![0],
      messageCount: randomInt(rng, 2, 40),
      createdAt: at,
      updatedAt: at,
    };
  });
  return [
    {
      method: 'GET',
      path: '/api/models',
      handler: () =>
        json({ data: models, has_more: false, first_id: models[0]!.id, last_id: models.at(-1)!.id }),
    },
    {
      method: 'GET',
      path: '/api/conversations',
      handler: (ctx) => json(listed(ctx, 'conversations', conversations)),
    },
  ];
});

const tradingApi = appService('trading-dashboard', '1.1.0', ({ rng }) => {
  const instruments: ReadonlyArray<[symbol: string, name: string, exchange: string]> = [
    ['ASML', 'ASML Holding', 'XAMS'],
    ['ADYEN', 'Adyen', 'XAMS'],
    ['INGA', 'ING Groep', 'XAMS'],
    ['SHELL', 'Shell', 'XAMS'],
    ['PHIA', 'Philips', 'XAMS'],
  ];
  // Prices are part of the recorded data set here, not a live feed, so a parity diff compares them too.
  const markets = instruments.map(([symbol, name, exchange]) => ({
    symbol,
    name,
    exchange,
    currency: 'EUR',
    price: randomInt(rng, 1500, 90_000) / 100,
    change24hPct: randomInt(rng, -350, 350) / 100,
  }));
  const positions = markets.slice(0, 3).map((m) => {
    const quantity = randomInt(rng, 5, 200);
    const avgPrice = Math.round(m.price * (0.8 + rng() * 0.3) * 100) / 100;
    return { symbol: m.symbol, quantity, avgPrice, price: m.price, marketValue: round2(quantity * m.price) };
  });
  return [
    { method: 'GET', path: '/api/markets', handler: (ctx) => json({ markets, asOf: isoNow(ctx) }) },
    {
      method: 'GET',
      path: '/api/portfolio',
      handler: (ctx) =>
        json({
          currency: 'EUR',
          positions,
          totalValue: round2(positions.reduce((sum, p) => sum + p.marketValue, 0)),
          asOf: isoNow(ctx),
        }),
    },
  ];
});

const round2 = (n: number) => Math.round(n * 100) / 100;

// Claude Chat and the trading dashboard serve their pages and their API from one server.
export const claudeChat = { ...claudeChatApi, web: CLAUDE_CHAT_WEB };
export const tradingDashboard = { ...tradingApi, web: TRADING_WEB };

export const rentguyFrontend = frontendService(RENTGUY_WEB);
export const psraFrontend = frontendService(PSRA_WEB);
export const wpcsFrontend = frontendService(WPCS_WEB);
