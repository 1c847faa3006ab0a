// What a simulated web frontend sends: each page's HTML shell, its stylesheets, its script and images.
// Rendering is deterministic by construction — system fonts (Liberation), no animation or transition,
// no clock in the visible text except in regions marked `data-dynamic`, boxes of fixed size for what a
// run changes — so a healthy page looks pixel-identical on baseline and target. The markup is accessible
// (landmarks, labels, captions, alt text) so axe-core finds nothing on a healthy page.

import type { PageDefect } from 'cutover';
import type { WebApp, WebPage } from './app.js';
import { escapeHtml } from './http.js';

export type PageFaults = ReadonlySet<PageDefect>;

const BASE_CSS = `
*{box-sizing:border-box}
html{font:16px/1.5 "Liberation Sans",Arial,sans-serif;color:#1f2328;background:#fff}
body{margin:0}
*,*::before,*::after{animation:none!important;transition:none!important;caret-color:transparent}
a{color:#0b5cad}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
header.top{display:flex;align-items:center;gap:24px;height:56px;padding:0 24px;color:#fff}
header.top a{color:#fff}
.brand{display:flex;align-items:center;gap:8px;font-weight:bold;font-size:18px;text-decoration:none}
header nav{display:flex;gap:16px;flex:1}
header nav a{text-decoration:none;padding:4px 0;border-bottom:2px solid transparent}
header nav a[aria-current=page]{border-bottom-color:#fff}
.user{display:flex;gap:12px;font-size:14px}
main{max-width:1184px;margin:0 auto;padding:24px}
h1{font-size:28px;margin:0 0 4px}
.intro{margin:0 0 16px;color:#424a53}
.hero{width:100%;height:160px;overflow:hidden;background:#e6e9ed}
.hero img{display:block;width:100%;height:160px}
.notice{min-height:160px;padding:24px 16px;margin:0 0 24px;font-size:18px;background:#fff8c5;border:1px solid #d4a72c}
form.search{margin:16px 0}
form.search label{display:block;font-weight:bold;margin-bottom:4px}
form.search input{width:320px;padding:6px 8px;font:inherit;border:1px solid #8c959f}
h2{font-size:20px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;font-size:15px}
caption{text-align:left;color:#424a53;padding-bottom:4px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d7de;white-space:nowrap}
th{background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.dynamic-box{height:240px;overflow:auto;border:1px solid #d0d7de}
.as-of{font-size:14px;color:#424a53;margin:8px 0 0}
.status{min-height:24px;margin:8px 0 0;color:#424a53}
footer{max-width:1184px;margin:0 auto;padding:16px 24px 32px;color:#424a53;font-size:14px}
.message{max-width:560px;margin:64px auto;padding:0 24px}
body[data-state=loading] main section,body[data-state=loading] .as-of,body[data-state=loading] .status,body[data-state=loading] footer{visibility:hidden}
`;

/** The product's colours: a stylesheet of its own, as a build emits one per theme. */
export function themeCss(app: WebApp): string {
  return `header.top{background:${app.accent}}\nh1{color:${app.accent}}\n`;
}

export function baseCss(): string {
  return BASE_CSS;
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28" viewBox="0 0 28 28"><rect width="28" height="28" rx="6" fill="#fff"/><path d="M7 20V8h8a4 4 0 0 1 0 8h-8" fill="none" stroke="#1f2328" stroke-width="3"/></svg>\n`;

export function logoSvg(): string {
  return LOGO_SVG;
}

/**
 * A text-free banner in the product's colour: the page's largest element, so its LCP. It is drawn in
 * detail on purpose: Chromium leaves low-entropy images (a flat fill) out of LCP.
 */
export function heroSvg(app: WebApp): string {
  const bars: string[] = [];
  // A fixed skyline of bars: the same picture every time, without a random source.
  for (let i = 0; i < 71; i++) {
    const h = 24 + ((i * 37) % 89) + ((i * 13) % 23);
    const o = (0.2 + ((i * 7) % 10) / 20).toFixed(2);
    bars.push(`<rect x="${i * 16}" y="${160 - h}" width="12" height="${h}" fill="#fff" opacity="${o}"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1136" height="160" viewBox="0 0 1136 160"><rect width="1136" height="160" fill="${app.accent}"/>${bars.join('')}<circle cx="980" cy="48" r="28" fill="#fff" opacity="0.5"/></svg>\n`;
}

interface ShellOptions {
  serviceId: string;
  app: WebApp;
  user: string;
  faults: PageFaults;
}

function shell(o: ShellOptions, title: string, current: string | undefined, body: string): string {
  const nav = o.app.pages
    .map(
      (p) =>
        `<a href="${p.path}"${p.path === current ? ' aria-current="page"' : ''}>${escapeHtml(p.title)}</a>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · ${escapeHtml(o.app.name)}</title>
<link rel="stylesheet" href="/assets/app.css">
<link rel="stylesheet" href="/assets/theme.css">
</head>
<body data-app="${o.serviceId}" data-state="loading">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/"><img src="/assets/logo.svg" alt="" width="28" height="28">${escapeHtml(o.app.name)}</a>
<nav aria-label="Main">${nav}</nav>
<div class="user"><span data-testid="user-name">${escapeHtml(o.user)}</span><a href="/logout">Sign out</a></div>
</header>
${body}
<footer>${escapeHtml(o.app.name)} ${escapeHtml(o.app.version)} · Sevensa</footer>
</body>
</html>
`;
}

/** A page of the app: the shell, the hero, the search field, a section per table; the script fills them. */
export function appPage(o: ShellOptions, page: WebPage): string {
  const search = page.search
    ? o.faults.has('a11y-missing-label')
      ? // The defect: the field keeps its look but loses its label (and placeholder), so it has no name.
        '<form class="search" role="search"><div aria-hidden="true" style="height:24px"></div><input id="search" type="search" autocomplete="off"></form>'
      : `<form class="search" role="search"><label for="search">${escapeHtml(page.search.label)}</label><input id="search" type="search" autocomplete="off" placeholder="${escapeHtml(page.search.placeholder)}"></form>`
    : '';
  const sections = page.tables
    .map((t) => {
      const head = t.columns
        .map((c) => `<th scope="col"${numeric(c.format) ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`)
        .join('');
      const table = `<table id="${t.id}" data-testid="${t.id}"><caption>${escapeHtml(t.heading)} (<span data-count>…</span>)</caption><thead><tr>${head}</tr></thead><tbody></tbody></table>`;
      const box = t.dynamic
        ? `<div class="dynamic-box" data-dynamic="${t.id}" tabindex="0" role="region" aria-label="${escapeHtml(t.heading)}, scrollable">${table}</div>`
        : table;
      return `<section aria-labelledby="h-${t.id}"><h2 id="h-${t.id}">${escapeHtml(t.heading)}</h2>${box}</section>`;
    })
    .join('\n');
  const asOf = page.asOf
    ? '<p class="as-of">Figures as of <time data-dynamic="as-of" data-testid="as-of">…</time></p>'
    : '';
  const config = JSON.stringify({ tables: page.tables, asOf: page.asOf ?? null }).replace(/</g, '\\u003c');
  const main = `<main id="main" aria-busy="true">
<h1>${escapeHtml(page.heading)}</h1>
<p class="intro">${escapeHtml(page.intro)}</p>
<div class="hero" data-testid="hero" data-alt="${escapeHtml(o.app.hero)}"></div>
${search}
${sections}
${asOf}
<p class="status" role="status" data-testid="status"></p>
</main>
<script type="application/json" id="page-config">${config}</script>
<script src="/assets/app.js" defer></script>`;
  return shell(o, page.title, page.path, main);
}

const numeric = (f: string | undefined) => f === 'eur' || f === 'pct' || f === 'number';

/** A page of words only: signed out, sign-in failed. `testid` names it for tests. */
export function messagePage(
  app: WebApp,
  title: string,
  heading: string,
  text: string,
  link: { href: string; label: string },
  testid: string,
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · ${escapeHtml(app.name)}</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<main class="message" data-testid="${testid}">
<h1>${escapeHtml(heading)}</h1>
<p role="alert">${escapeHtml(text)}</p>
<p><a href="${link.href}">${escapeHtml(link.label)}</a></p>
</main>
</body>
</html>
`;
}
