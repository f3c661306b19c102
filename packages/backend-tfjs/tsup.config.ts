import { defineConfig } from 'tsup';

export default defineConfig({
  // `train` is the training entry (@tessera/backend-tfjs/train); `manifest` is the package's
  // manifest alone, for front-ends that list backends without loading them; `profile` is bench
  // --profile's timer (tf.profile); `bench` holds the hand-written tf.layers models that benchmarks
  // compare Tessera's graphs with.
  entry: {
    index: 'src/index.ts',
    train: 'src/train/index.ts',
    manifest: 'src/manifest.ts',
    profile: 'src/profile.ts',
    bench: 'bench/keras-models.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
