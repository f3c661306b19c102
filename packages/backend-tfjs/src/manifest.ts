// What front-ends need to know about the tfjs variants: where each runs, what it needs, its
// profiler and its bench peer. variants.ts derives its list of variants from this one.
import type { BackendManifest, Profiler } from '@tessera/spec';

const profiler = (): Promise<Profiler> => import('./profile.js').then((m) => m.profiler);

/**
 * What front-ends read of the tfjs package: each variant, where it runs, what it needs, its
 * profiler and its bench peer.
 */
export const manifest = {
  name: 'tfjs',
  variants: [
    {
      name: 'cpu',
      runsIn: ['node', 'browser'],
      /**
       * bench --profile's timer: each tfjs kernel of a forward pass (tf.profile), loaded on demand.
       */
      profiler,
      peer: { name: 'tf-layers', variant: 'cpu', target: 1.1 },
    },
    {
      name: 'wasm',
      runsIn: ['node', 'browser'],
      // tfjs-backend-wasm picks one of the three at run time (plain, simd, threaded simd).
      needs: {
        wasm: {
          dir: 'tfjs-wasm',
          files: [
            '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
            '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
            '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
          ],
        },
      },
      /**
       * bench --profile's timer: each tfjs kernel of a forward pass (tf.profile), loaded on demand.
       */
      profiler,
      peer: { name: 'tf-layers', variant: 'wasm', target: 1.1 },
    },
    // tfjs's webgl backend runs on WebGL 1 where WebGL 2 is missing.
    { name: 'webgl', runsIn: ['browser'], needs: { webgl: 1 } },
    // Also needs the optional peer @tensorflow/tfjs-backend-webgpu installed; createBackend imports
    // it (and says so when it cannot).
    { name: 'webgpu', runsIn: ['browser'], needs: { webgpuAdapter: true } },
  ],
} as const satisfies BackendManifest;
