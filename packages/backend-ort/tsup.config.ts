import { defineConfig } from 'tsup';

export default defineConfig({
  // `bench` holds the hand-built fused ONNX graphs that benchmarks compare Tessera's graphs with.
  entry: { index: 'src/index.ts', bench: 'bench/handbuilt.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
