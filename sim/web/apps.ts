// The platform's web frontends as the simulator serves them: RentGuy, PSRA-LTSD, WPCS, the trading
// dashboard and Claude Chat. Each page reads a simulated API through its frontend; the data is the
// migrated data, identical in both environments, except the records a run creates (dynamic regions).

import type { WebApp } from './app.js';

export const RENTGUY_WEB: WebApp = {
  name: 'RentGuy',
  version: '2.4.1',
  api: 'rentguy-api',
  accent: '#7a2e0e',
  hero: 'Stage lighting and speakers set up for an event',
  pages: [
    {
      path: '/',
      title: 'Equipment',
      heading: 'Equipment catalogue',
      intro: 'Everything available to rent for your event, with daily rates and stock.',
      search: { label: 'Search equipment', placeholder: 'e.g. speaker' },
      tables: [
        {
          id: 'equipment',
          heading: 'Catalogue',
          source: '/api/equipment',
          items: 'items',
          empty: 'No equipment.',
          columns: [
            { label: 'Item', field: 'name' },
            { label: 'Category', field: 'category' },
            { label: 'Daily rate', field: 'dailyRate.amount', format: 'eur' },
            { label: 'In stock', field: 'stock', format: 'number' },
            { label: 'Weight (kg)', field: 'weightKg', format: 'number' },
          ],
        },
      ],
    },
    {
      path: '/bookings',
      title: 'Bookings',
      heading: 'Bookings',
      intro: 'Bookings made for upcoming events.',
      tables: [
        {
          id: 'bookings',
          heading: 'All bookings',
          source: '/api/bookings',
          items: 'items',
          empty: 'No bookings yet.',
          dynamic: true,
          columns: [
            { label: 'Booking', field: 'id' },
            { label: 'Equipment', field: 'equipmentId' },
            { label: 'From', field: 'from', format: 'date' },
            { label: 'To', field: 'to', format: 'date' },
            { label: 'Total', field: 'total.amount', format: 'eur' },
            { label: 'Status', field: 'status' },
          ],
        },
      ],
    },
  ],
};

export const PSRA_WEB: WebApp = {
  name: 'PSRA-LTSD',
  version: '1.8.0',
  api: 'psra-api',
  accent: '#0d4f3c',
  hero: 'Containers stacked at a port terminal',
  pages: [
    {
      path: '/',
      title: 'Assessments',
      heading: 'Origin assessments',
      intro: 'Preferential origin assessments of your products and the rule each was judged by.',
      search: { label: 'Search assessments', placeholder: 'product or HS code' },
      tables: [
        {
          id: 'assessments',
          heading: 'Recent assessments',
          source: '/api/assessments',
          items: 'items',
          empty: 'No assessments yet.',
          dynamic: true,
          columns: [
            { label: 'Product', field: 'product' },
            { label: 'HS code', field: 'hsCode' },
            { label: 'Status', field: 'status' },
            { label: 'Origin', field: 'result.originCountry' },
          ],
        },
      ],
    },
  ],
};

export const WPCS_WEB: WebApp = {
  name: 'WPCS',
  version: '1.3.2',
  api: 'wpcs-api',
  accent: '#1d3f72',
  hero: 'A laptop showing a website editor',
  pages: [
    {
      path: '/',
      title: 'Posts',
      heading: 'Posts',
      intro: 'The latest posts on sevensa.nl.',
      search: { label: 'Search posts', placeholder: 'title' },
      tables: [
        {
          id: 'posts',
          heading: 'Published',
          source: '/wp-json/wp/v2/posts?per_page=12',
          items: '',
          empty: 'No posts.',
          columns: [
            { label: 'Title', field: 'title.rendered' },
            { label: 'Published', field: 'date', format: 'date' },
            { label: 'Slug', field: 'slug' },
          ],
        },
      ],
    },
    {
      path: '/sites',
      title: 'Sites',
      heading: 'Managed sites',
      intro: 'Every WordPress site we manage, with its versions.',
      tables: [
        {
          id: 'sites',
          heading: 'Sites',
          source: '/api/sites',
          items: 'sites',
          empty: 'No sites.',
          columns: [
            { label: 'Domain', field: 'domain' },
            { label: 'Plan', field: 'plan' },
            { label: 'WordPress', field: 'wordpressVersion' },
            { label: 'PHP', field: 'phpVersion' },
            { label: 'Plugins', field: 'pluginCount', format: 'number' },
          ],
        },
      ],
    },
  ],
};

export const TRADING_WEB: WebApp = {
  name: 'Trading dashboard',
  version: '1.1.0',
  api: 'trading-dashboard',
  accent: '#3b2a6b',
  hero: 'A price chart rising over a week',
  pages: [
    {
      path: '/',
      title: 'Markets',
      heading: 'Markets',
      intro: 'Euronext Amsterdam instruments we follow, and our positions in them.',
      search: { label: 'Search instruments', placeholder: 'symbol or name' },
      asOf: { source: '/api/markets', field: 'asOf' },
      tables: [
        {
          id: 'markets',
          heading: 'Instruments',
          source: '/api/markets',
          items: 'markets',
          empty: 'No instruments.',
          columns: [
            { label: 'Symbol', field: 'symbol' },
            { label: 'Name', field: 'name' },
            { label: 'Price', field: 'price', format: 'eur' },
            { label: 'Change 24h', field: 'change24hPct', format: 'pct' },
          ],
        },
        {
          id: 'positions',
          heading: 'Portfolio',
          source: '/api/portfolio',
          items: 'positions',
          empty: 'No positions.',
          columns: [
            { label: 'Symbol', field: 'symbol' },
            { label: 'Quantity', field: 'quantity', format: 'number' },
            { label: 'Average price', field: 'avgPrice', format: 'eur' },
            { label: 'Market value', field: 'marketValue', format: 'eur' },
          ],
        },
      ],
    },
  ],
};

export const CLAUDE_CHAT_WEB: WebApp = {
  name: 'Claude Chat',
  version: '0.9.4',
  api: 'claude-chat',
  accent: '#5a3a1a',
  hero: 'A conversation between a person and an assistant',
  pages: [
    {
      path: '/',
      title: 'Conversations',
      heading: 'Conversations',
      intro: 'Your recent conversations and the models available.',
      search: { label: 'Search conversations', placeholder: 'title' },
      tables: [
        {
          id: 'conversations',
          heading: 'Recent',
          source: '/api/conversations',
          items: 'conversations',
          empty: 'No conversations.',
          columns: [
            { label: 'Title', field: 'title' },
            { label: 'Model', field: 'model' },
            { label: 'Messages', field: 'messageCount', format: 'number' },
            { label: 'Started', field: 'createdAt', format: 'date' },
          ],
        },
        {
          id: 'models',
          heading: 'Models',
          source: '/api/models',
          items: 'data',
          empty: 'No models.',
          columns: [
            { label: 'Model', field: 'display_name' },
            { label: 'Id', field: 'id' },
            { label: 'Released', field: 'created_at', format: 'date' },
          ],
        },
      ],
    },
  ],
};
