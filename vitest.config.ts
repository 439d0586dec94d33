import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never touch the user's own app data (snapshot cache, captures, exports).
const env = { DPX_DATA_DIR: join(tmpdir(), `dpx-test-data-${process.pid}`) };

// Unit tests run without infrastructure; integration tests start the real Kafka broker and S3
// server through test/infra (the same scripts as `npm run infra:up`).
export default defineConfig({
  test: {
    root: '.',
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', env, setupFiles: ['test/unit/fast-check-seed.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env,
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
