import { defineConfig } from 'vitest/config';

// Tests talk only to loopback services; these keep snowflake-sdk from probing cloud metadata endpoints.
const env = {
  SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true',
  SF_TELEMETRY_DISABLE_CONNECTION_SHAPE: '1',
  SNOWFLAKE_DISABLE_MINICORE: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

export default defineConfig({
  test: {
    env,
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          env,
          include: ['tests/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
