// The figures behind a criterion, as text every renderer shares: value, limit, interval, n, rule. A
// criterion relative to the baseline is judged on a derived value (target − 1.1 × baseline, a ratio, a
// rate difference); its figures show the two measured values, their ratio or difference, and the limit
// as the target is held to it, with the interval named for what it bounds.
import type { CriterionGroup, CriterionResult } from '../core/model.js';

export function number(v: number, unit: string | undefined): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'rate') return `${(v * 100).toFixed(Math.abs(v) < 0.01 ? 3 : 2)} %`;
  if (unit === 'ms') return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)} ms`;
  if (unit === 'ratio') return v.toFixed(3);
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** A rate difference in percentage points, signed: `+3.62 pp`. */
function points(v: number): string {
  const abs = Math.abs(v * 100);
  return `${v < 0 ? '−' : '+'}${abs.toFixed(abs < 1 ? 3 : 2)} pp`;
}

/** `1.1 × ` (nothing for 1), from a factor recovered in floating point. */
function times(factor: number): string {
  const f = Number(factor.toPrecision(4));
  return f === 1 ? '' : `${f} × `;
}

interface Relative {
  form: 'difference' | 'ratio' | 'exact';
  target: number;
  baseline: number;
  value: number;
  limit: number;
  unit: string;
}

/**
 * The two sides of a criterion compared with the baseline, from the group whose value, limit and
 * interval the criterion carries (the deciding one; its key is named in the reason when there are several).
 */
function relativeOf(c: CriterionResult): Relative | undefined {
  if (typeof c.value !== 'number' || typeof c.limit !== 'number') return undefined;
  const same = (c.groups ?? []).filter(
    (g): g is CriterionGroup & { target: number; baseline: number } =>
      g.value === c.value && g.limit === c.limit && g.target !== undefined && g.baseline !== undefined,
  );
  const g = same.find((x) => x.key && c.reason.includes(`[${x.key};`)) ?? same[0];
  if (!g) return undefined;
  const unit = c.unit ?? '';
  const form = unit === 'ratio' ? 'ratio' : unit === 'ms' || unit === 'rate' ? 'difference' : 'exact';
  return { form, target: g.target, baseline: g.baseline, value: c.value, limit: c.limit, unit };
}

/** The target's and the baseline's unit: a latency ratio compares quantiles in ms. */
const sideUnit = (r: Relative) => (r.form === 'ratio' ? 'ms' : r.unit);

export function valueText(c: CriterionResult): string {
  const r = relativeOf(c);
  if (!r) return c.value === undefined || c.value === null ? '—' : number(c.value, c.unit);
  const sides = `target ${number(r.target, sideUnit(r))}, baseline ${number(r.baseline, sideUnit(r))}`;
  if (r.form === 'exact') return sides;
  if (r.unit === 'rate') return `${sides}, difference ${points(r.target - r.baseline)}`;
  return `${sides}, ratio ${r.baseline > 0 ? (r.target / r.baseline).toFixed(2) : '—'}`;
}

export function limitText(c: CriterionResult): string {
  const r = relativeOf(c);
  if (!r) return c.limit === undefined || c.limit === null ? '—' : number(c.limit, c.unit);
  if (r.form === 'exact') return number(r.limit, r.unit);
  if (r.form === 'ratio') return `${times(r.limit)}baseline = ${number(r.limit * r.baseline, 'ms')}`;
  // value = target − f × baseline and limit = the slack, so the target's own limit is f × baseline + slack.
  const held = r.target - r.value + r.limit;
  const factor = r.baseline !== 0 ? times((r.target - r.value) / r.baseline) : '';
  const slack =
    r.limit === 0
      ? ''
      : r.unit === 'rate'
        ? ` ${points(r.limit).replace(/^([+−])/, '$1 ')}`
        : ` ${r.limit < 0 ? '−' : '+'} ${number(Math.abs(r.limit), r.unit)}`;
  return `${factor}baseline${slack} = ${number(held, r.unit)}`;
}

export function intervalText(c: CriterionResult): string {
  if (!c.interval) return c.value === undefined || c.value === null ? '—' : 'exact';
  const { low, high, level } = c.interval;
  const pct = `(${Math.round(level * 100)} %)`;
  const r = relativeOf(c);
  if (r?.form === 'ratio') return `ratio: ${number(low, 'ratio')} … ${number(high, 'ratio')} ${pct}`;
  if (r?.form === 'difference' && r.unit === 'rate')
    return `difference: ${points(low)} … ${points(high)} ${pct}`;
  if (r?.form === 'difference') {
    const factor = r.baseline !== 0 ? times((r.target - r.value) / r.baseline) : '';
    return `target − ${factor}baseline: ${number(low, c.unit)} … ${number(high, c.unit)} ${pct}`;
  }
  return `${number(low, c.unit)} … ${number(high, c.unit)} ${pct}`;
}

export function nText(c: CriterionResult): string {
  if (c.n === undefined) return '—';
  return c.nBaseline === undefined ? String(c.n) : `${c.n} / ${c.nBaseline}`;
}
