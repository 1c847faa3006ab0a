// Kubernetes resource quantities (`512Mi`, `1G`, `500m`, `0.5`) as numbers, to compare with
// Compose's limits. Only the suffixes resource limits use; an unreadable quantity is undefined.
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i|[kMGTPEm]?)$/.exec(value.trim());
  if (!m) return undefined;
  const factor = BINARY[m[2]!] ?? DECIMAL[m[2]!];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

export function memoryBytes(value: unknown): number | undefined {
  return quantity(value);
}

export function cpuCores(value: unknown): number | undefined {
  return quantity(value);
}
