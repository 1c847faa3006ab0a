// The load threads. One thread per core for high rates, kept alive across A/B blocks so a block does not
// pay for starting threads; even a single thread (the default for modest rates) is a worker, apart from
// the process's own event loop (see `start`).
// Each thread runs its share of every scenario (k6's execution segments: iteration i belongs to thread
// i mod n), and the parent merges the histograms exactly.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { peakLevel } from '../../core/load/profile.js';
import { HostRefusedError, type PerformanceScenario } from '../../core/load/scenario.js';
import { closeSharedPools } from './client.js';
import { runSlice, type SliceSpec } from './executor.js';
import { mergeSlices, type SecondReport, type SliceResult } from './recorder.js';
import { SeriesMerger, type SeriesPoint } from './series.js';

export interface WorkerJob {
  /** The scenario module's file, so the thread can load it (checks are functions). */
  file: string;
  spec: Omit<SliceSpec, 'slice'>;
}

export type WorkerMessage =
  | { type: 'second'; batch: number; job: number; second: SecondReport }
  | { type: 'done'; batch: number; results: SliceResult[] }
  | { type: 'failed'; batch: number; message: string; refused: boolean };

export interface LoadJob extends WorkerJob {
  scenario: PerformanceScenario;
}

/**
 * Requests per second one thread takes on before another core is worth its start-up. A thread can send
 * about 100 000 a second to a loopback server (BENCHMARKS.md), but an event loop that is busy for more
 * than a fifth of the time starts adding its own queueing to the latencies it measures.
 */
const RATE_PER_THREAD = 20_000;

/** Threads for a set of jobs: `auto` uses one per RATE_PER_THREAD of peak arrival rate, up to the cores. */
export function threadsFor(jobs: readonly LoadJob[], requested: number | 'auto'): number {
  const cores = availableParallelism();
  if (requested !== 'auto') return Math.max(1, Math.min(requested, cores * 4));
  const peakPerSecond = jobs.reduce(
    (n, j) =>
      n +
      (j.spec.profile.model === 'arrival'
        ? peakLevel(j.spec.profile) * 1000
        : peakLevel(j.spec.profile) * 200),
    0,
  );
  return Math.max(1, Math.min(cores, Math.ceil(peakPerSecond / RATE_PER_THREAD)));
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

export class LoadThreads {
  private readonly workers: Worker[] = [];
  private batch = 0;

  private constructor(readonly count: number) {}

  /**
   * Starts `count` threads. Even one load thread is a worker: the load generator must not share an event
   * loop with anything else in the process (the demo's simulator), or each would add the other's work
   * to the latencies. Only when running from TypeScript source (unit tests) does work stay in-process.
   */
  static start(count: number, inProcess = !existsSync(WORKER_FILE)): LoadThreads {
    const threads = new LoadThreads(inProcess ? 1 : Math.max(1, count));
    if (!inProcess) {
      for (let index = 0; index < threads.count; index++) {
        threads.workers.push(new Worker(WORKER_FILE, { workerData: { index, count: threads.count } }));
      }
    }
    return threads;
  }

  /** Runs the jobs concurrently (as k6 runs its scenarios) and returns one merged result per job. */
  async run(
    jobs: readonly LoadJob[],
    options: { signal?: AbortSignal; onSeries?: (p: SeriesPoint) => void } = {},
  ): Promise<SliceResult[]> {
    const mergers = jobs.map(
      (j) => new SeriesMerger(j.spec.scenario, j.spec.environment, this.count, (p) => options.onSeries?.(p)),
    );
    try {
      if (this.workers.length === 0) {
        return await Promise.all(
          jobs.map((j, i) =>
            runSlice(
              j.scenario,
              { ...j.spec, slice: { index: 0, count: 1 } },
              { ...(options.signal ? { signal: options.signal } : {}), onSecond: (s) => mergers[i]!.add(s) },
            ),
          ),
        );
      }
      const batch = ++this.batch;
      const perWorker = await Promise.all(
        this.workers.map(
          (w) =>
            new Promise<SliceResult[]>((resolve, reject) => {
              const onAbort = () => w.postMessage({ type: 'stop' });
              options.signal?.addEventListener('abort', onAbort, { once: true });
              const onMessage = (m: WorkerMessage) => {
                if (m.batch !== batch) return;
                if (m.type === 'second') mergers[m.job]!.add(m.second);
                else {
                  w.off('message', onMessage);
                  w.off('error', onError);
                  options.signal?.removeEventListener('abort', onAbort);
                  if (m.type === 'done') resolve(m.results);
                  else reject(m.refused ? new HostRefusedError(m.message) : new Error(m.message));
                }
              };
              const onError = (e: Error) => reject(e);
              w.on('message', onMessage);
              w.once('error', onError);
              w.postMessage({ type: 'run', batch, jobs: jobs.map(({ file, spec }) => ({ file, spec })) });
            }),
        ),
      );
      return jobs.map((_, i) => mergeSlices(perWorker.map((r) => r[i]!)));
    } finally {
      for (const m of mergers) m.flush();
    }
  }

  async close(): Promise<void> {
    if (this.workers.length === 0) await closeSharedPools();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
