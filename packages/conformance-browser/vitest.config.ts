import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    // Builds dist/page when it is missing (turbo's test task builds it first anyway).
    test: { globalSetup: ['test/global-setup.ts'] },
  }),
);
