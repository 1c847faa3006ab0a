// Values recorded in parity evidence are for a person to read: a whole missing object is summarised,
// so one difference cannot bloat a run record.

const MAX_CHARS = 300;

export function preview(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= MAX_CHARS) return value;
  if (typeof value === 'string') return `${value.slice(0, MAX_CHARS)}… (${value.length} chars)`;
  const shape = Array.isArray(value)
    ? `array of ${value.length}`
    : `object with ${Object.keys(value as object).length} fields`;
  return `${text.slice(0, MAX_CHARS)}… (${shape}, ${text.length} chars)`;
}
