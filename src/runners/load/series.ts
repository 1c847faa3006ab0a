// The per-second time series for charts, merged across threads: a second is final once every thread
// has reported it, so only the seconds in flight are held in memory.
import { createHistogram, decodeHistogram, type Histogram, quantileMs } from '../../core/histogram.js';
import type { LoadSeriesPoint } from '../../core/series.js';
import type { SecondReport } from './recorder.js';

export interface SeriesPoint extends Omit<LoadSeriesPoint, 't'> {
  scenario: string;
  environment: string;
  /** The A/B block (in plan order; -1 for the unrecorded warm-up). */
  block?: number;
  /** Seconds since the start of this block. */
  second: number;
  /**
   * The second's latencies, handed over in-process (never serialised) so the run record can merge
   * seconds exactly when it records a long run at a coarser step (core/series.ts).
   */
  histogram?: Histogram;
}

export class SeriesMerger {
  private readonly pending = new Map<number, SecondTally & { reports: number }>();

  constructor(
    private readonly scenario: string,
    private readonly environment: string,
    private readonly threads: number,
    private readonly emit: (p: SeriesPoint) => void,
  ) {}

  add(r: SecondReport): void {
    let slot = this.pending.get(r.second);
    if (!slot) {
      // 64-bit counts: a packed histogram costs ~15 ms per merge and per quantile read, every second.
      slot = { h: createHistogram(64), requests: 0, failed: 0, dropped: 0, reports: 0 };
      this.pending.set(r.second, slot);
    }
    if (r.histogram) slot.h.add(decodeHistogram(r.histogram, 64));
    slot.requests += r.requests;
    slot.failed += r.failed;
    slot.dropped += r.dropped;
    slot.reports++;
    if (slot.reports >= this.threads) this.close(r.second);
  }

  /** Emits whatever is left (threads that finished early report no trailing empty seconds). */
  flush(): void {
    for (const second of [...this.pending.keys()].sort((a, b) => a - b)) this.close(second);
  }

  private close(second: number): void {
    const slot = this.pending.get(second);
    if (!slot) return;
    this.pending.delete(second);
    this.emit(secondPoint(this.scenario, this.environment, undefined, second, slot));
  }
}

/** The counts and latencies of one second, as the engine and the k6 readers gather them. */
export interface SecondTally {
  h: Histogram;
  requests: number;
  failed: number;
  dropped: number;
}

/** One second's point: its quantiles read from the histogram (all 0 when nothing was answered). */
export function secondPoint(
  scenario: string,
  environment: string,
  block: number | undefined,
  second: number,
  tally: SecondTally,
): SeriesPoint {
  const answered = tally.requests > 0;
  const q = (p: number) => (answered ? quantileMs(tally.h, p) : 0);
  return {
    scenario,
    environment,
    ...(block !== undefined ? { block } : {}),
    second,
    requests: tally.requests,
    failed: tally.failed,
    dropped: tally.dropped,
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
    maxMs: answered ? tally.h.maxValue / 1000 : 0,
    ...(answered ? { histogram: tally.h } : {}),
  };
}
