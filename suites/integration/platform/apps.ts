// WPCS, Claude Chat and the trading dashboard: read paths over migrated data, which must be identical.
import { defineFlow, z } from 'cutover';

const post = z.object({
  id: z.number().int(),
  date: z.string(),
  slug: z.string(),
  status: z.string(),
  link: z.url(),
  title: z.object({ rendered: z.string() }),
});

export const wpcsContent = defineFlow({
  name: 'wpcs-content',
  title: 'WPCS: the WordPress REST API and the site list',
  service: 'wpcs-api',
  tags: ['wpcs', 'read'],
  parity: { headers: ['content-type', 'x-wp-total', 'x-wp-totalpages'] },
  steps: [
    { name: 'REST index', request: { method: 'GET', path: '/wp-json' }, expect: { status: 200 } },
    {
      name: 'list posts',
      request: { method: 'GET', path: '/wp-json/wp/v2/posts', query: { per_page: 5 } },
      expect: { status: 200, schema: z.array(post).length(5), headers: { 'x-wp-total': /^\d+$/ } },
    },
    {
      name: 'read a post',
      request: { method: 'GET', path: '/wp-json/wp/v2/posts/101' },
      expect: { status: 200, schema: post },
    },
    {
      // The site's pages are rows of WPCS's database: a page changed in the migration differs here too.
      name: 'list pages',
      request: { method: 'GET', path: '/wp-json/wp/v2/pages', query: { per_page: 20 } },
      expect: {
        status: 200,
        schema: z.array(
          z.object({ slug: z.string(), modified_gmt: z.string(), title: z.object({ rendered: z.string() }) }),
        ),
        headers: { 'x-wp-total': /^\d+$/ },
      },
    },
    {
      name: 'page past the end',
      request: { method: 'GET', path: '/wp-json/wp/v2/posts', query: { page: 99 } },
      expect: { status: 400, schema: z.object({ code: z.string(), message: z.string() }) },
    },
    {
      name: 'list managed sites',
      auth: 'service',
      request: { method: 'GET', path: '/api/sites' },
      expect: {
        status: 200,
        schema: z.object({ sites: z.array(z.object({ id: z.string(), domain: z.string() })) }),
      },
    },
  ],
});

export const claudeChatRead = defineFlow({
  name: 'claude-chat-read',
  title: 'Claude Chat: models and conversations',
  service: 'claude-chat',
  auth: 'service',
  tags: ['ai', 'read'],
  steps: [
    {
      name: 'list models',
      request: { method: 'GET', path: '/api/models' },
      expect: {
        status: 200,
        schema: z.object({ data: z.array(z.object({ id: z.string(), display_name: z.string() })) }),
      },
    },
    {
      name: 'list conversations',
      request: { method: 'GET', path: '/api/conversations' },
      expect: {
        status: 200,
        schema: z.object({ conversations: z.array(z.object({ id: z.uuid(), title: z.string() })) }),
      },
    },
  ],
});

export const tradingDashboardRead = defineFlow({
  name: 'trading-dashboard-read',
  title: 'Trading dashboard: markets and portfolio',
  service: 'trading-dashboard',
  auth: 'service',
  tags: ['ai', 'read'],
  steps: [
    {
      name: 'markets',
      request: { method: 'GET', path: '/api/markets' },
      expect: {
        status: 200,
        schema: z.object({
          markets: z.array(z.object({ symbol: z.string(), price: z.number() })),
          asOf: z.iso.datetime(),
        }),
      },
    },
    {
      name: 'portfolio',
      request: { method: 'GET', path: '/api/portfolio' },
      expect: {
        status: 200,
        schema: z.object({
          positions: z.array(z.object({ symbol: z.string(), quantity: z.number() })),
          totalValue: z.number(),
        }),
      },
    },
  ],
});
