// Whether a k6-operator runner's results are whole: the requests its histogram holds against k6's own
// count of the requests it sent, and the samples its log still held (the kubelet keeps only the current
// file once a log passes 10 MiB). A shortfall keeps the block's measurements out of the evidence — the
// gates then say INCONCLUSIVE — with the numbers in the reason; a log that lost lines only costs the
// per-second series, since the results come from the summary.
import { histogramCount, type RunnerSummary } from './runner-summary.js';

export interface RunnerReadout {
  /** The runner as the reason names it (its Job). */
  runner: string;
  /** Its summary line, if its log held one. */
  summary?: RunnerSummary;
  /** Requests (http_req_duration samples) read from what its log still held. */
  samplesRead: number;
}

export interface Reconciled {
  /** Why the runner's results cannot be taken as whole, with the numbers. */
  shortfall?: string;
  /** Something to say that does not touch the results (a log rotated before it was read). */
  note?: string;
}

export function reconcileRunner(r: RunnerReadout): Reconciled {
  if (!r.summary) {
    return {
      shortfall: `${r.runner} wrote no end-of-test summary; its log held ${r.samplesRead} requests, which cannot be checked against what it sent (the kubelet keeps only the last 10 MiB of a log)`,
    };
  }
  const histogram = histogramCount(r.summary);
  const sent = r.summary.requests;
  if (histogram !== sent) {
    return {
      shortfall: `${r.runner}: ${histogram} requests in its latency histogram, k6 counted ${sent} sent (${sent > histogram ? `${sent - histogram} missing` : `${histogram - sent} more than sent`}; ${r.summary.iterations} iterations completed, ${r.samplesRead} requests in its log)`,
    };
  }
  if (r.samplesRead < histogram) {
    return {
      note: `${r.runner}: its log held ${r.samplesRead} of its ${histogram} requests (rotated by the kubelet); results from its summary, the per-second series only from what the log held`,
    };
  }
  return {};
}
