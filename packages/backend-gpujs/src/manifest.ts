// What front-ends need to know about the gpu.js variants (gpu.js's modes): where each runs, what
// it needs, its profiler and its bench peer. backend.ts derives its list of variants from this one.
import type { BackendManifest, Profiler } from '@tessera/spec';

/** bench --profile's timer: each gpu.js kernel's time by spec op, loaded on demand. */
const profiler = (): Promise<Profiler> => import('./profile.js').then((m) => m.profiler);

// gpu.js is judged against tfjs's wasm backend running the hand-written tf.layers models, and aims
// to be within 2× of it.
const peer = { name: 'tf-layers', variant: 'wasm', target: 2 } as const;

/**
 * What front-ends read of the gpu.js package: each variant (a gpu.js mode), where it runs, what it
 * needs, its profiler and its bench peer.
 */
export const manifest = {
  name: 'gpujs',
  variants: [
    // In a browser, `cpu` is node's code path rerun in the page: not worth a default column there.
    { name: 'cpu', runsIn: ['node', 'browser'], defaultIn: ['node'], profiler, peer },
    { name: 'webasm', runsIn: ['node', 'browser'], profiler, peer },
    // In node gpu.js would need headless-gl (the optional `gl` package), which does not build here.
    { name: 'webgl2', runsIn: ['browser'], needs: { webgl: 2 } },
    { name: 'webgpu', runsIn: ['browser'], needs: { webgpuAdapter: true } },
  ],
} as const satisfies BackendManifest;
