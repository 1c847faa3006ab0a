// A (possibly windowed or scaled) timeline back in k6's own executor options, so a k6 run covers exactly
// the A/B block the embedded engine would. Pure and import-free: it is bundled into every k6 script.
import type { Profile } from '../../core/load/profile.js';

const ms = (n: number) => `${Math.max(0, Math.round(n))}ms`;

export function k6ExecutorFor(p: Profile, gracefulStop: string): Record<string, unknown> {
  if (p.model === 'arrival') {
    // Per minute, so the fractional per-second rates of a ramp or a scaled block survive k6's integers.
    const perMinute = (perMs: number) => Math.round(perMs * 60_000);
    return {
      executor: 'ramping-arrival-rate',
      startRate: perMinute(p.segments[0]?.from ?? 0),
      timeUnit: '1m',
      stages: p.segments.map((s) => ({ duration: ms(s.endMs - s.startMs), target: perMinute(s.to) })),
      preAllocatedVUs: p.preAllocatedVUs,
      maxVUs: p.maxVUs,
      gracefulStop,
    };
  }
  return {
    executor: 'ramping-vus',
    startVUs: Math.round(p.segments[0]?.from ?? 0),
    stages: p.segments.map((s) => ({ duration: ms(s.endMs - s.startMs), target: Math.round(s.to) })),
    gracefulRampDown: '0s',
    gracefulStop,
  };
}
