// The per-second series of one k6 run, rebuilt from the time stamps of its JSON-lines points, so a run
// with `--engine k6` charts like one with the embedded engine. Seconds count from the run's first
// point (k6 writes no start time); k6 flushes its output every 200 ms in time order, so a second is
// complete once points two seconds later arrive, and only the seconds in flight are held.
import { createHistogram, recordMs } from '../../core/histogram.js';
import { type SecondTally, type SeriesPoint, secondPoint } from '../load/series.js';
import { parseLine } from './parse.js';

/** The part of a k6 point the series reads. */
export interface TimedPoint {
  metric: string;
  value: number;
  /** Milliseconds since the epoch (k6's `data.time`). */
  time?: number;
}

/** Seconds after which a second is taken as complete (k6 writes its buffer every 200 ms). */
const SETTLE_S = 2;

export class K6SeriesBuilder {
  private origin: number | undefined;
  private readonly open = new Map<number, SecondTally>();
  private latest = 0;

  constructor(
    private readonly scenario: string,
    private readonly environment: string,
    private readonly block: number,
    private readonly emit: (p: SeriesPoint) => void,
  ) {}

  add(p: TimedPoint): void {
    if (p.time === undefined || !Number.isFinite(p.time)) return;
    if (
      p.metric !== 'http_req_duration' &&
      p.metric !== 'http_req_failed' &&
      p.metric !== 'dropped_iterations'
    )
      return;
    this.origin ??= p.time;
    const second = Math.max(0, Math.floor((p.time - this.origin) / 1000));
    let slot = this.open.get(second);
    if (!slot) {
      // 64-bit counts: a second is merged and read at once, where the packed layout is slow.
      slot = { h: createHistogram(64), requests: 0, failed: 0, dropped: 0 };
      this.open.set(second, slot);
    }
    if (p.metric === 'http_req_duration') {
      recordMs(slot.h, p.value);
      slot.requests++;
    } else if (p.metric === 'http_req_failed') {
      if (p.value !== 0) slot.failed++;
    } else slot.dropped += p.value;
    if (second > this.latest) {
      this.latest = second;
      for (const s of [...this.open.keys()].sort((a, b) => a - b)) if (s <= second - SETTLE_S) this.close(s);
    }
  }

  /** Emits every second still open: at the end of the run. */
  flush(): void {
    for (const s of [...this.open.keys()].sort((a, b) => a - b)) this.close(s);
  }

  private close(second: number): void {
    const slot = this.open.get(second);
    if (!slot) return;
    this.open.delete(second);
    this.emit(secondPoint(this.scenario, this.environment, this.block, second, slot));
  }
}

/**
 * The series of a k6-operator TestRun: its runners ran side by side, each a share of the load, so their
 * outputs (pod logs, each in time order) are merged by time stamp into one stream — every second then
 * holds all runners' requests — with no more held than one line per runner and the seconds in flight.
 */
export function seriesOfRunners(
  logs: readonly string[],
  scenario: string,
  builder: Pick<K6SeriesBuilder, 'add' | 'flush'>,
): void {
  const streams = logs.map((log) => timedPoints(log, scenario));
  const heads = streams.map((s) => s.next());
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (pick < 0 || h.value.time! < (heads[pick]!.value as TimedPoint).time!)) pick = i;
    }
    if (pick < 0) break;
    builder.add(heads[pick]!.value as TimedPoint);
    heads[pick] = streams[pick]!.next();
  }
  builder.flush();
}

function* timedPoints(log: string, scenario: string): Generator<TimedPoint> {
  let from = 0;
  while (from < log.length) {
    const end = log.indexOf('\n', from);
    const line = log.slice(from, end < 0 ? log.length : end);
    from = end < 0 ? log.length : end + 1;
    // A pod log carries k6's own text lines too; only its JSON points are read.
    if (!line.startsWith('{')) continue;
    let p: ReturnType<typeof parseLine>;
    try {
      p = parseLine(line);
    } catch {
      continue; // a line k6 cut short; the accumulator reports unreadable output
    }
    if (p?.time !== undefined && (!p.tags.scenario || p.tags.scenario === scenario)) yield p;
  }
}
