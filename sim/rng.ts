// Seeded pseudo-random numbers for the simulator.
//
// Hand-written on purpose: mulberry32 is a dozen lines, takes a 32-bit seed, and is good enough for
// picking catalogue prices and sampling fault rolls. A dependency would add nothing but an install.
// Reproducibility is the point: the same seed gives the same stable data in every environment and the
// same sequence of injected errors and latencies from one run to the next.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a seed with labels (FNV-1a over the text), so each consumer gets its own stream: the data of
 * `rentguy-api` does not shift when another service draws a number first, and fault rolls never disturb
 * the data.
 */
export function deriveSeed(seed: number, ...labels: string[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of labels.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function seededRng(seed: number, ...labels: string[]): Rng {
  return mulberry32(deriveSeed(seed, ...labels));
}

/** An integer in [min, max], both inclusive. */
export function randomInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** A version-4-shaped UUID drawn from the seeded stream, for records that already exist in both environments. */
export function seededUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** A standard normal sample (Box–Muller); 1 - u keeps the logarithm away from zero. */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A lognormal sample whose median is `median`: exp(ln(median) + sigma·Z) = median·exp(sigma·Z). */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}
