import { defineConfig } from 'vitest/config';

// The fault suite (`npm run test:faults`): real servers and redis-servers
// broken on purpose. Its files end in `.fault.ts` so `npm test` does not run
// them; CI runs this suite after `npm test`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/faults/**/*.fault.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Fault files measure latencies and RSS: keep them from fighting over the two cores.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-faults-report.json' }]] : ['default'],
  },
});
