import { defineConfig } from 'tsup';

export default defineConfig({
  // `manifest` is the package's manifest alone, for front-ends that list backends without loading
  // them; `profile` is bench --profile's timer (ORT's profiler); `bench` holds the hand-built fused
  // ONNX graphs that benchmarks compare Tessera's graphs with.
  entry: {
    index: 'src/index.ts',
    manifest: 'src/manifest.ts',
    profile: 'src/profile.ts',
    bench: 'bench/handbuilt.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
