// The figures behind a criterion, as text every renderer shares: value, limit, interval, n, rule.
import type { CriterionResult } from '../core/model.js';

export function number(v: number, unit: string | undefined): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'rate') return `${(v * 100).toFixed(Math.abs(v) < 0.01 ? 3 : 2)} %`;
  if (unit === 'ms') return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)} ms`;
  if (unit === 'ratio') return v.toFixed(3);
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

export function valueText(c: CriterionResult): string {
  return c.value === undefined || c.value === null ? '—' : number(c.value, c.unit);
}

export function limitText(c: CriterionResult): string {
  return c.limit === undefined || c.limit === null ? '—' : number(c.limit, c.unit);
}

export function intervalText(c: CriterionResult): string {
  if (!c.interval) return c.value === undefined || c.value === null ? '—' : 'exact';
  const { low, high, level } = c.interval;
  return `${number(low, c.unit)} … ${number(high, c.unit)} (${Math.round(level * 100)} %)`;
}

export function nText(c: CriterionResult): string {
  if (c.n === undefined) return '—';
  return c.nBaseline === undefined ? String(c.n) : `${c.n} / ${c.nBaseline}`;
}
