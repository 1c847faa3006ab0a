import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The project's own data (suites/, gates/) and the simulator import 'cutover' as a user's project does;
  // tests run them from source.
  resolve: { alias: { cutover: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the real CLI and simulator (a full demo includes a load comparison);
    // give them room on a 2-core machine. Deadlines here are safety nets, not performance assertions.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Three files at a time on the 2-core machines: the end-to-end tests spend much of their time
    // waiting (scrape intervals, alert delivery, watch windows, load timelines), so two workers left a
    // third of the CPU idle. Latency comparisons are A/B interleaved and stay sound under the load.
    maxWorkers: 3,
  },
});
