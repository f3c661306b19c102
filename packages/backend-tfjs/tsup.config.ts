import { defineConfig } from 'tsup';

export default defineConfig({
  // `bench` holds the hand-written tf.layers models that benchmarks compare Tessera's graphs with.
  entry: { index: 'src/index.ts', bench: 'bench/keras-models.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
