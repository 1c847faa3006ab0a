// A line chart over time for the HTML report (inline SVG, no script): linear seconds on x, a linear
// quantity on y, several lines with a legend, and gaps where a line has no value (an interval without
// answered requests is not drawn as zero latency).
import { esc, ticks } from './svg.js';

export interface TimeLine {
  label: string;
  colour: string;
  /** SVG stroke-dasharray, such as `5 3`; solid when absent. */
  dash?: string;
  /** [seconds, value]; undefined values break the line. */
  points: ReadonlyArray<readonly [number, number | undefined]>;
}

const W = 560;
const H = 200;
const PAD = { l: 50, r: 12, t: 40, b: 30 };

const fmt = (v: number) => String(+v.toPrecision(3));

export function timeChart(title: string, yLabel: string, lines: readonly TimeLine[], xMax: number): string {
  const values = lines.flatMap((l) => l.points.map(([, v]) => v ?? 0));
  const yMax = Math.max(...values, 0) * 1.08 || 1;
  const x = (t: number) => PAD.l + (t / (xMax || 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const parts = [
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`,
    `<text x="${PAD.l}" y="14" class="t">${esc(title.length > 80 ? `${title.slice(0, 79)}…` : title)}</text>`,
  ];
  for (const t of ticks(yMax))
    parts.push(
      `<line x1="${PAD.l}" y1="${y(t).toFixed(1)}" x2="${W - PAD.r}" y2="${y(t).toFixed(1)}" class="g"/><text x="${PAD.l - 4}" y="${(y(t) + 3).toFixed(1)}" class="a" text-anchor="end">${fmt(t)}</text>`,
    );
  for (const t of ticks(xMax))
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${H - PAD.b + 12}" class="a" text-anchor="middle">${fmt(t)}</text>`,
    );
  parts.push(
    `<text x="${W - PAD.r}" y="${H - 4}" class="a" text-anchor="end">seconds into the scenario</text>`,
    `<text x="10" y="${(PAD.t + H - PAD.b) / 2}" class="a" transform="rotate(-90 10 ${(PAD.t + H - PAD.b) / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  lines.forEach((l, i) => {
    let d = '';
    let pen = false;
    for (const [t, v] of l.points) {
      if (v === undefined) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    // A lone point draws nothing as a path: mark it.
    const dots = l.points.length === 1 && l.points[0]![1] !== undefined;
    if (d)
      parts.push(
        dots
          ? `<circle cx="${x(l.points[0]![0]).toFixed(1)}" cy="${y(l.points[0]![1]!).toFixed(1)}" r="2" fill="${l.colour}"/>`
          : `<path d="${d}" fill="none" stroke="${l.colour}" stroke-width="1.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}><title>${esc(l.label)}</title></path>`,
      );
    const lx = PAD.l + (i % 4) * 125;
    const ly = 24 + Math.floor(i / 4) * 11;
    parts.push(
      `<line x1="${lx}" y1="${ly - 3}" x2="${lx + 16}" y2="${ly - 3}" stroke="${l.colour}" stroke-width="1.5"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/><text x="${lx + 20}" y="${ly}" class="a">${esc(l.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
