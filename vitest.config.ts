import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The project's own data (suites/, gates/) and the simulator import 'cutover' as a user's project does;
// tests run them from source.
const alias = { cutover: fileURLToPath(new URL('./src/index.ts', import.meta.url)) };

// The passes under other Node majors (scripts/node-compat.sh, in CI) leave out the files that drive
// Chromium through the browser suite and the simulated pages: what they test is the browser's, and they
// run under Node 20 in `npm test`.
const chromiumFiles =
  process.env.CUTOVER_TESTS_WITHOUT_CHROMIUM === '1'
    ? [
        'test/e2e/browser.test.ts',
        'test/e2e/demo-browser.alone.exclusive.test.ts',
        'test/integration/sim-pages.test.ts',
      ]
    : [];

export default defineConfig({
  resolve: { alias },
  test: {
    // End-to-end tests spawn the real CLI and simulator (a full demo includes a load comparison);
    // give them room on a 2-core machine. Deadlines here are safety nets, not performance assertions.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        // The options above (timeouts, pool, alias) hold for both projects.
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.exclusive.test.ts', ...chromiumFiles],
          // Three files at a time on the 2-core machines: the end-to-end tests spend much of their time
          // waiting (scrape intervals, alert delivery, watch windows, load timelines), so two workers left
          // a third of the CPU idle. Latency comparisons are A/B interleaved and stay sound under the load.
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The options above (timeouts, pool, alias) hold for both projects.
        extends: true,
        test: {
          // Healthy demos whose verdict rests on absolute latencies (the scenarios' k6 thresholds) of a
          // simulator on this same machine: run after the parallel files, so the simulator has a core and
          // its answers are not slowed by other tests' CPU (which the verdict would rightly call NO-GO).
          name: 'exclusive',
          include: ['test/**/*.exclusive.test.ts'],
          exclude: ['test/**/*.alone.exclusive.test.ts', ...chromiumFiles],
          // One at a time: two side by side starved each other's simulator often enough to cross the
          // scenarios' absolute thresholds (a CI pass under Node 22 did).
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // The demo with Chromium (the browser suite): its page timings are compared, and its browser
          // starves whatever runs beside it — a healthy demo beside it crossed its absolute thresholds on
          // the target. Last, and alone.
          name: 'alone',
          include: ['test/**/*.alone.exclusive.test.ts'],
          exclude: chromiumFiles,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
