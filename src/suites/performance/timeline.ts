// The engine's per-second points into the run record's series: each block's seconds are placed on the
// scenario's timeline (block start + second), so baseline and target line up however the A/B blocks
// alternated, and each scenario and environment is folded to a bounded number of points.
import {
  type LoadSeriesKey,
  type LoadSeriesPoint,
  SeriesDownsampler,
  seriesStep,
} from '../../core/series.js';
import type { SeriesPoint } from '../../runners/load/series.js';
import type { LoadPlan } from './plan.js';

export type SeriesSink = (key: LoadSeriesKey, point: LoadSeriesPoint) => void;

export class SeriesTimeline {
  readonly stepS: number;
  private readonly lanes = new Map<string, SeriesDownsampler>();

  constructor(
    private readonly plan: Pick<LoadPlan, 'blocks' | 'durationMs' | 'scenarios'>,
    private readonly suite: string,
    private readonly sink: SeriesSink,
    private readonly maxPoints?: number,
  ) {
    this.stepS = seriesStep(plan.durationMs / 1000, maxPoints);
  }

  /** Takes one merged second from the engine; the unrecorded warm-up (block -1) is left out. */
  add(p: SeriesPoint): void {
    if (p.block === undefined || p.block < 0) return;
    const block = this.plan.blocks[p.block];
    if (!block) return;
    const planned = this.plan.scenarios.find((s) => s.module.scenario.name === p.scenario);
    if (!planned) return;
    const id = `${p.scenario}\u0000${p.environment}`;
    let lane = this.lanes.get(id);
    if (!lane) {
      const key: LoadSeriesKey = {
        suite: this.suite,
        scenario: p.scenario,
        service: planned.module.scenario.service,
        environment: p.environment,
        stepS: this.stepS,
        timelineS: planned.profile.durationMs / 1000,
      };
      lane = new SeriesDownsampler(this.stepS, (point) => this.sink(key, point), this.maxPoints);
      this.lanes.set(id, lane);
    }
    const t = block.fromMs / 1000 + p.second;
    lane.add({ ...p, t, endT: Math.min(t + 1, block.toMs / 1000) });
  }

  /** Emits every open point: at the end of the load, or when it was interrupted. */
  flush(): void {
    for (const lane of this.lanes.values()) lane.flush();
  }
}
