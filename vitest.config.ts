import { defineConfig } from 'vitest/config';

// Integration tests start real daemons, nats-servers and workers; they run one file at a time per worker
// with generous timeouts because this machine has two cores.
export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
  },
});
