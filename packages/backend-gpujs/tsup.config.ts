import { defineConfig } from 'tsup';

export default defineConfig({
  // `manifest` is the package's manifest alone, for front-ends that list backends without loading them.
  entry: { index: 'src/index.ts', manifest: 'src/manifest.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
