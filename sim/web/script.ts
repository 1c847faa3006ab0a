// The page script of every simulated frontend, as the browser receives it (`/assets/app.js`): it reads
// the page's config, fetches each table's API answer through the frontend (`/bff/...`, the session
// cookie does the rest), renders rows with fixed formats (no locale, no clock), shows the sections (hidden
// while loading, so filling them moves nothing painted: no layout shift), loads the hero image, then
// marks the page ready: `body[data-state=ready]` and `main[aria-busy=false]`. An expired session
// (401) goes back through the sign-in. Page faults add their misbehaviour here, and only when active.

import type { PageFaults } from './page.js';

const BASE = String.raw`(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('page-config').textContent);
  const main = document.getElementById('main');
  const status = document.querySelector('[data-testid=status]');
  const answers = new Map();
  const read = (source) => {
    if (!answers.has(source)) {
      answers.set(source, fetch('/bff' + source, { headers: { accept: 'application/json' } }).then((r) => {
        if (r.status === 401) {
          location.assign('/login?next=' + encodeURIComponent(location.pathname));
          throw new Error('signed out');
        }
        if (!r.ok) throw new Error(source + ' answered HTTP ' + r.status);
        return r.json();
      }));
    }
    return answers.get(source);
  };
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const at = (obj, path) => (path === '' ? obj : path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj));
  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const format = (value, kind) => {
    if (value === undefined || value === null) return '—';
    if (kind === 'eur') {
      const [whole, cents] = Math.abs(Number(value)).toFixed(2).split('.');
      return (Number(value) < 0 ? '−' : '') + '€ ' + group(whole) + '.' + cents;
    }
    if (kind === 'pct') return (Number(value) > 0 ? '+' : Number(value) < 0 ? '−' : '') + Math.abs(Number(value)).toFixed(2) + '%';
    if (kind === 'number') return group(String(value));
    if (kind === 'date') return String(value).slice(0, 10);
    return String(value);
  };
  const numeric = (kind) => kind === 'eur' || kind === 'pct' || kind === 'number';
  const render = async (table) => {
    const body = await read(table.source);
    const items = at(body, table.items) || [];
    const el = document.getElementById(table.id);
    const tbody = el.querySelector('tbody');
    tbody.replaceChildren();
    if (items.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = table.columns.length;
      td.textContent = table.empty;
      tr.append(td);
      tbody.append(tr);
    }
    for (const item of items) {
      const tr = document.createElement('tr');
      for (const column of table.columns) {
        const td = document.createElement('td');
        if (numeric(column.format)) td.className = 'num';
        td.textContent = format(at(item, column.field), column.format);
        tr.append(td);
      }
      tbody.append(tr);
    }
    el.querySelector('[data-count]').textContent = String(items.length);
  };
  const search = document.getElementById('search');
  if (search) {
    search.addEventListener('input', () => {
      const wanted = search.value.trim().toLowerCase();
      const first = document.querySelector('main table');
      for (const tr of first.querySelectorAll('tbody tr')) tr.hidden = wanted !== '' && !tr.textContent.toLowerCase().includes(wanted);
    });
  }
  // The hero image is requested once the data is shown and painted, and not before HERO_AT_MS after the
  // navigation began, as an app that loads its media last: its LCP is then its own arrival on an idle
  // page at a fixed moment, not the first paint's or a busy main thread's, on every environment alike —
  // so a late hero (slow-lcp) is the only thing that moves it.
  const HERO_AT_MS = 700;
  const heroBox = document.querySelector('[data-testid=hero]');
  // Decoded before it is shown, so its paint follows its arrival by a frame, not by a busy decode.
  const loadHero = async () => {
    const hero = new Image(1136, 160);
    hero.alt = heroBox.dataset.alt;
    hero.src = '/assets/hero.svg';
    await hero.decode().catch(() => {});
    heroBox.append(hero);
  };
  const faults = [];
  (async () => {
    try {
      await Promise.all(config.tables.map(render));
      if (config.asOf) document.querySelector('[data-dynamic=as-of]').textContent = String(at(await read(config.asOf.source), config.asOf.field));
      document.body.dataset.state = 'rendered';
      await frame();
      await new Promise((done) => setTimeout(done, Math.max(0, HERO_AT_MS - performance.now())));
      await loadHero();
      await frame();
      for (const fault of faults) await fault();
      document.body.dataset.state = 'ready';
      status.textContent = 'Up to date.';
    } catch (error) {
      if (String(error && error.message) === 'signed out') return;
      document.body.dataset.state = 'error';
      status.setAttribute('role', 'alert');
      status.textContent = 'Could not load this page: ' + (error && error.message);
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
`;

/** layout-shift: a notice pushed in above the painted content, moving everything below it. */
const LAYOUT_SHIFT = `
  faults.push(async () => {
    await new Promise((done) => setTimeout(done, 100));
    const notice = document.createElement('div');
    notice.className = 'notice';
    notice.setAttribute('role', 'note');
    notice.textContent = 'Scheduled maintenance: Sunday 02:00 to 04:00 CET.';
    main.prepend(notice);
    await frame();
  });
`;

/** console-error: the script reports a failure of its own through console.error. */
const CONSOLE_ERROR = String.raw`
  faults.push(async () => {
    console.error('feature flags unavailable: TypeError: Cannot read properties of undefined (reading \'flags\')');
  });
`;

export function appScript(faults: PageFaults): string {
  return `${BASE}${faults.has('layout-shift') ? LAYOUT_SHIFT : ''}${faults.has('console-error') ? CONSOLE_ERROR : ''}})();\n`;
}
