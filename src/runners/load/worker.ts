// A load thread: runs its slice of every job the parent sends, streams per-second reports, returns the
// slices' results. Scenario modules are loaded by file because their checks are functions, which cannot
// cross a thread boundary.
import { parentPort, workerData } from 'node:worker_threads';
import type { PerformanceScenario } from '../../core/load/scenario.js';
import { runSlice } from './executor.js';
import { importScenario } from './scenario-loader.js';
import type { WorkerJob, WorkerMessage } from './workers.js';

const { index, count } = workerData as { index: number; count: number };
const scenarios = new Map<string, Promise<PerformanceScenario>>();
let abort = new AbortController();

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function run(batch: number, jobs: WorkerJob[]): Promise<void> {
  abort = new AbortController();
  try {
    const results = await Promise.all(
      jobs.map(async (job, j) => {
        let loading = scenarios.get(job.file);
        if (!loading) {
          loading = importScenario(job.file);
          scenarios.set(job.file, loading);
        }
        const scenario = await loading;
        return runSlice(
          scenario,
          { ...job.spec, slice: { index, count } },
          { signal: abort.signal, onSecond: (second) => post({ type: 'second', batch, job: j, second }) },
        );
      }),
    );
    post({ type: 'done', batch, results });
  } catch (error) {
    post({
      type: 'failed',
      batch,
      message: (error as Error).message,
      refused: (error as Error).name === 'HostRefusedError',
    });
  }
}

parentPort!.on('message', (m: { type: 'run'; batch: number; jobs: WorkerJob[] } | { type: 'stop' }) => {
  if (m.type === 'stop') abort.abort();
  else void run(m.batch, m.jobs);
});
