import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.ts';

export default defineConfig({
  ...sharedTestConfig,
  test: {
    ...sharedTestConfig.test,
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'output/**'],
    testTimeout: 600_000,
  },
});
