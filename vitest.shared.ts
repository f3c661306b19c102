// Test configuration shared by every package: workspace packages resolve to their TypeScript
// sources through the `@tessera/source` export condition, so tests never need a build first.
import { defineConfig } from 'vitest/config';

const conditions = ['@tessera/source', 'module', 'node', 'import', 'default'];

export const sharedTestConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: [] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
