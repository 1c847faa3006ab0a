// Small inline-SVG charts for the HTML report: no script, no network, every label escaped.
// Hand-written because a charting library would need JavaScript in the page (or a DOM to render on the
// server), and the report must open anywhere offline with nothing executing.

import { visible } from './text.js';

/** Escapes text for HTML (content and quoted attributes), its hidden characters made visible first. */
export function esc(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Line {
  label: string;
  colour: string;
  /** [x, y] in data units. */
  points: ReadonlyArray<readonly [number, number]>;
  dashed?: boolean;
}

const W = 360;
const H = 200;
const PAD = { l: 46, r: 10, t: 24, b: 34 };

export function ticks(max: number): number[] {
  const step = 10 ** Math.floor(Math.log10(max || 1));
  const s = max / step > 5 ? step * 2 : max / step > 2 ? step : step / 2;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += s) out.push(v);
  return out;
}

/** A line chart (cumulative distributions): x from 0 to xMax, y from 0 to 1. */
/** Ticks for a log scale: 1, 2, 5 × powers of ten within [min, max]. */
function logTicks(min: number, max: number): number[] {
  const out: number[] = [];
  // Over many decades 2 and 5 would crowd the labels: powers of ten only.
  const steps = Math.log10(max / min) > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= min && v <= max) out.push(v);
    }
  return out;
}

/**
 * Cumulative distributions on a logarithmic latency axis (from xMin to xMax ms), y from 0 to 1:
 * latency is skewed, and on a linear axis the tail squeezes the body into one corner.
 */
export function lineChart(
  title: string,
  xLabel: string,
  lines: readonly Line[],
  xMin: number,
  xMax: number,
): string {
  const lo = Math.log10(Math.max(1e-3, xMin));
  const hi = Math.log10(Math.max(xMax, xMin * 1.01));
  const x = (v: number) =>
    PAD.l + ((Math.log10(Math.min(Math.max(v, 10 ** lo), 10 ** hi)) - lo) / (hi - lo)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - v * (H - PAD.t - PAD.b);
  const parts = [
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">`,
  ];
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(
    `<text x="${PAD.l}" y="14" class="t">${esc(title.length > 58 ? `${title.slice(0, 57)}…` : title)}</text>`,
  );
  for (const t of logTicks(10 ** lo, 10 ** hi))
    parts.push(
      `<line x1="${x(t).toFixed(1)}" y1="${y(0)}" x2="${x(t).toFixed(1)}" y2="${y(1)}" class="g"/><text x="${x(t).toFixed(1)}" y="${H - PAD.b + 14}" class="a" text-anchor="middle">${+t.toPrecision(3)}</text>`,
    );
  for (const t of [0, 0.5, 0.9, 1])
    parts.push(
      `<line x1="${PAD.l}" y1="${y(t)}" x2="${W - PAD.r}" y2="${y(t)}" class="g"/><text x="${PAD.l - 4}" y="${y(t) + 4}" class="a" text-anchor="end">${t}</text>`,
    );
  parts.push(
    `<text x="${(PAD.l + W - PAD.r) / 2}" y="${H - 4}" class="a" text-anchor="middle">${esc(xLabel)}</text>`,
  );
  lines.forEach((l, i) => {
    const d = l.points
      .map(([a, b], k) => `${k === 0 ? 'M' : 'L'}${x(a).toFixed(1)},${y(b).toFixed(1)}`)
      .join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${l.colour}" stroke-width="1.8"${l.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    // Bottom right: a cumulative curve is high on the right, so that corner stays free.
    const ly = H - PAD.b - 26 + i * 13;
    parts.push(
      `<rect x="${W - PAD.r - 70}" y="${ly - 4}" width="10" height="3" fill="${l.colour}"/><text x="${W - PAD.r - 56}" y="${ly}" class="a">${esc(l.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  values: ReadonlyArray<{ value: number; colour: string; text: string }>;
}

/** Horizontal grouped bars (error rates per series). */
export function barChart(title: string, bars: readonly Bar[], max: number): string {
  const rowH = 12;
  const h = PAD.t + bars.reduce((s, b) => s + b.values.length * rowH + 8, 0) + 10;
  const w = 560;
  const left = 230;
  const scale = (v: number) => ((w - left - 150) * v) / (max || 1);
  const parts = [
    `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title><text x="4" y="14" class="t">${esc(title)}</text>`,
  ];
  let yPos = PAD.t;
  for (const b of bars) {
    parts.push(
      `<text x="${left - 6}" y="${yPos + rowH}" class="a" text-anchor="end">${esc(b.label.length > 42 ? `${b.label.slice(0, 41)}…` : b.label)}</text>`,
    );
    for (const v of b.values) {
      parts.push(
        `<rect x="${left}" y="${yPos + 2}" width="${Math.max(1, scale(v.value)).toFixed(1)}" height="${rowH - 3}" fill="${v.colour}"/><text x="${left + Math.max(1, scale(v.value)) + 4}" y="${yPos + rowH - 2}" class="a">${esc(v.text)}</text>`,
      );
      yPos += rowH;
    }
    yPos += 8;
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface Dot {
  label: string;
  value: number;
  colour: string;
}

/** The trend of the last runs: one dot per run, oldest left. */
export function dotChart(title: string, yLabel: string, dots: readonly Dot[]): string {
  const w = 560;
  const max = Math.max(1, ...dots.map((d) => d.value));
  const x = (i: number) => PAD.l + ((i + 0.5) / Math.max(1, dots.length)) * (w - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const parts = [
    `<svg viewBox="0 0 ${w} ${H}" width="${w}" height="${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title><text x="${PAD.l}" y="14" class="t">${esc(title)}</text>`,
  ];
  for (const t of ticks(max))
    parts.push(
      `<line x1="${PAD.l}" y1="${y(t)}" x2="${w - PAD.r}" y2="${y(t)}" class="g"/><text x="${PAD.l - 4}" y="${y(t) + 4}" class="a" text-anchor="end">${t}</text>`,
    );
  parts.push(
    `<text x="10" y="${(PAD.t + H - PAD.b) / 2}" class="a" transform="rotate(-90 10 ${(PAD.t + H - PAD.b) / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  dots.forEach((d, i) => {
    parts.push(
      `<circle cx="${x(i).toFixed(1)}" cy="${y(d.value).toFixed(1)}" r="5" fill="${d.colour}"><title>${esc(d.label)}</title></circle>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
