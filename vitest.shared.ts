// Test configuration shared by every package: workspace packages resolve to their TypeScript
// sources through the `@tessera/source` export condition, so tests never need a build first.
import { defineConfig } from 'vitest/config';

// Not 'import' or 'module': vitest passes these conditions to its node workers as --conditions,
// and with 'import' CommonJS packages (tfjs, protobufjs under onnx-proto) require() long 5's ES
// module namespace and crash at load. Vite adds import/require by itself where they apply.
const conditions = ['@tessera/source', 'node', 'default'];

export const sharedTestConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: [] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
