import { defineConfig } from 'tsup';

export default defineConfig({
  // The vitest helper is its own entry, so that importing the package never loads vitest.
  entry: ['src/index.ts', 'src/vitest.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['vitest', '@tessera/spec', '@tessera/backend-reference', 'fast-check'],
});
