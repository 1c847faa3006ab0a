// A sample value as the Prometheus family of APIs writes it: a JSON string, because JSON has no NaN or
// infinities. Prometheus writes `"NaN"`, `"+Inf"` and `"-Inf"` for them (shared/reference/monitoring.md
// §1.2), and in node `Number("+Inf")` and `parseFloat("+Inf")` are both NaN: read naively, an infinite
// latency would become "no traffic". Here each special is mapped itself, and anything that is not a
// number is refused rather than read as NaN. Pure.

/** Labels of a series, a target or an alert. */
export type Labels = Record<string, string>;

// Go's strconv.ParseFloat accepts these spellings (case-insensitive); Prometheus writes the first of each.
const SPECIALS = new Map<string, number>([
  ['nan', Number.NaN],
  ['+inf', Number.POSITIVE_INFINITY],
  ['inf', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The number a sample-value string stands for — NaN and ±Infinity included — or undefined when the
 * string is not a number at all (an empty string, `"1,5"`, `"null"`): a malformed answer, never NaN.
 */
export function parseSampleValue(text: string): number | undefined {
  const special = SPECIALS.get(text.toLowerCase());
  if (special !== undefined) return special;
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** A value written back the way Prometheus writes it (`+Inf`, `-Inf`, `NaN`, or the number). */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** `{a="b", c="d"}`, sorted by name, for messages that name a series. */
export function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  const name = labels.__name__ ?? '';
  return pairs.length === 0 && name ? name : `${name}{${pairs.join(', ')}}`;
}

/** Whether `labels` carries every pair of `want` (a subset match, as a selector of equality matchers). */
export function labelsInclude(labels: Labels, want: Labels): boolean {
  return Object.entries(want).every(([name, value]) => labels[name] === value);
}
