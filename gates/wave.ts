// The shape every phase-3 application wave gate shares: the wave's services healthy, functionally
// equal, no slower, no more errors, and no critical posture finding.
//
// The median decides a wave (it is stable at the sample sizes of a wave's comparison run, while
// loopback tails are dominated by whatever else the machine is doing); the p(95) is reported beside it.
//
// Latency slack: on one loopback machine an A/A comparison of ~1 ms latencies moves by a millisecond
// or two from scheduling noise alone, which is ±100 % of the value. A purely relative limit
// (baseline × 1.10) would then fail healthy migrations or stay INCONCLUSIVE forever; an absolute slack
// says "a difference nobody can feel is not a regression", and still lets +40 ms through as a clear
// failure. On real hardware with latencies of 100 ms and more, the 10 % term dominates.
import { defineGate, type GateSpec } from 'cutover';

// 10 ms rather than 5: the simulated target answers 1–3 ms slower than the baseline by construction
// (its ingress path), and on a shared 2-core machine a busy neighbour moves a median by several more
// milliseconds between the alternating blocks. 10 ms is still a quarter of the +40 ms fault the demo
// must call a clear failure, and below what a user of these applications would notice.
const MEDIAN_FACTOR = '1.10';
const MEDIAN_SLACK = '10ms';

/**
 * `data: false` for a wave without a database of its own (the AI wave keeps its state in the platform's
 * stores): a data-parity criterion there could never see evidence and would hold the wave INCONCLUSIVE.
 */
export function waveGate(wave: string, what: string, options: { data?: boolean } = {}): GateSpec {
  return defineGate({
    id: `3-${wave}`,
    phase: 3,
    wave,
    title: `Phase 3 — wave ${wave}: ${what}`,
    criteria: [
      {
        id: 'smoke',
        title: `Every ${wave} service healthy on the target`,
        serves: 1,
        expr: `smoke{wave:${wave}}.failed == 0`,
      },
      {
        id: 'parity',
        title: 'Responses equal to the baseline on every integration step',
        serves: 3,
        expr: `parity{wave:${wave}}.ratio == 1`,
      },
      {
        id: 'integration',
        title: 'No failed integration check',
        serves: 3,
        expr: `integration{wave:${wave}}.failed == 0`,
      },
      {
        id: 'perf.median',
        title: 'Median latency per endpoint no more than 10 % (+10 ms) above the baseline',
        serves: 2,
        expr: `http_req_duration{wave:${wave}}: med <= baseline * ${MEDIAN_FACTOR} + ${MEDIAN_SLACK}`,
      },
      {
        // A warning here: a wave's short comparison run has a few hundred requests per endpoint,
        // too few to pin a p(95) down (`cutover plan` says how many it needs); phase 4 blocks on it.
        id: 'perf.p95',
        title: 'p(95) latency per endpoint no more than 10 % (+10 ms) above the baseline',
        serves: 2,
        blocking: false,
        expr: `http_req_duration{wave:${wave}}: p(95) <= baseline * ${MEDIAN_FACTOR} + ${MEDIAN_SLACK}`,
      },
      {
        // Two points: with a few hundred requests and no error on either side, the interval for the
        // difference is about ±1.8 points wide; phase 4 holds the full run to 0.1 point.
        id: 'perf.errors',
        title: 'Error rate per endpoint no more than 2 points above the baseline',
        serves: 2,
        expr: `http_req_failed{wave:${wave}}: rate <= baseline + 0.02`,
      },
      {
        // The scenarios' own checks (the answer has its items, the booking was accepted …) under load:
        // a check that holds less often on the target is a functional regression that a status code
        // can hide. Two points, as for errors: what a wave's few hundred checks per side can settle.
        // A warning: scenarios need not have checks, and a blocking criterion would hold such a wave
        // at INCONCLUSIVE for want of them; the integration suite's parity is what blocks on answers.
        id: 'perf.checks',
        title: 'Each scenario check holds no less often than on the baseline (2 points)',
        serves: 3,
        blocking: false,
        expr: `checks{wave:${wave}}: rate >= baseline - 0.02`,
      },
      {
        id: 'perf.dropped',
        title: 'The target kept up with the planned load (no dropped iterations)',
        serves: 2,
        blocking: false,
        expr: `dropped_iterations{wave:${wave}}: count == 0`,
      },
      ...(options.data === false
        ? []
        : [
            {
              // Rows, schema and sequences of the wave's databases equal on both sides (the data suite).
              id: 'data-parity',
              title: "The wave's databases hold the same data and schema on Compose and Kubernetes",
              serves: 3 as const,
              expr: `data-parity{wave:${wave}}.failed == 0`,
            },
          ]),
      {
        id: 'posture',
        title:
          "No critical workload-posture finding for the wave's services (or for no service in particular)",
        serves: 1,
        expr: `security{source:posture, wave:${wave}}.critical == 0`,
      },
    ],
  });
}

// A frontend's pages in a browser must not change with the move: a capture's load times are a handful of
// samples per page, so LCP and load are judged on the median of all of a service's pages together (eight
// samples per side at the least: `browser.loads` × pages). 250 ms of slack: on a shared 2-core machine
// (load average 15) the medians of two healthy runs of 20 loads moved by ±160 ms, which held a 100 ms
// slack at INCONCLUSIVE; 250 ms is still under a third of the +800 ms a slow hero image costs, and a
// tenth of what LCP's "good" bound (2.5 s) allows a page in all.
const PAGE_FACTOR = '1.10';
const PAGE_SLACK = '250ms';

/**
 * The browser side of a wave with frontends: every spec passes on the target, and each captured page
 * looks, logs, loads and reads (accessibility) as on the baseline. Judged when the browser suite ran.
 */
export function waveBrowserGate(wave: string, what: string): GateSpec {
  const parity = (check: string, title: string) => ({
    id: `browser.${check}`,
    title,
    serves: 3 as const,
    expr: `browser{wave:${wave}, check:${check}}.failed == 0`,
  });
  return defineGate({
    id: `3-${wave}-browser`,
    phase: 3,
    wave,
    title: `Phase 3 — wave ${wave} in a browser: ${what}`,
    criteria: [
      {
        id: 'browser.checks',
        title: 'Every browser spec (and the sign-in) passes on the target',
        serves: 3,
        expr: `browser{wave:${wave}}.failed == 0`,
      },
      parity('visual', 'Every captured page looks as on the baseline (screenshots within the tolerance)'),
      parity('console', 'No console error the baseline does not have'),
      parity('network', 'No failed request (or HTTP ≥ 400) the baseline does not have'),
      parity('a11y', 'No accessibility violation (axe-core) the baseline does not have'),
      {
        id: 'browser.lcp',
        title: `Largest contentful paint no more than 10 % (+${PAGE_SLACK}) above the baseline`,
        serves: 2,
        expr: `browser_lcp{wave:${wave}}: med <= baseline * ${PAGE_FACTOR} + ${PAGE_SLACK}`,
        per: ['service'],
      },
      {
        id: 'browser.load',
        title: `Page load no more than 10 % (+${PAGE_SLACK}) above the baseline`,
        serves: 2,
        blocking: false,
        expr: `browser_load{wave:${wave}}: med <= baseline * ${PAGE_FACTOR} + ${PAGE_SLACK}`,
        per: ['service'],
      },
    ],
  });
}
