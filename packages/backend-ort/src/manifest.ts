// What front-ends need to know about the ORT variants: where each runs, what it needs, its
// profiler and its bench peer. backend.ts derives its list of variants from this one.
import type { BackendManifest, Profiler } from '@tessera/spec';

/**
 * What front-ends read of the ORT package: each variant, where it runs, what it needs, its profiler
 * and bench peer, and its exporter (`onnx`: toOnnx).
 */
export const manifest = {
  name: 'ort',
  variants: [
    {
      name: 'node',
      runsIn: ['node'],
      // ORT's own profiler, which writes its trace to a file: onnxruntime-node only.
      /** bench --profile's timer: ORT's own profiler, by ONNX op, loaded on demand. */
      profiler: (): Promise<Profiler> => import('./profile.js').then((m) => m.profiler),
      peer: { name: 'onnx-fused', variant: 'node', target: 1.05 },
    },
    {
      name: 'wasm',
      runsIn: ['node', 'browser'],
      // onnxruntime-web's default build runs the .jsep binaries and loads their glue beside them.
      needs: {
        wasm: {
          dir: 'ort',
          files: [
            'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm',
            'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs',
          ],
        },
      },
      peer: { name: 'onnx-fused', variant: 'wasm', target: 1.05 },
    },
    {
      name: 'webgpu',
      runsIn: ['browser'],
      // onnxruntime-web/webgpu runs the .asyncify binaries; nodes without a WebGPU kernel run on wasm.
      needs: {
        webgpuAdapter: true,
        wasm: {
          dir: 'ort',
          files: [
            'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm',
            'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs',
          ],
        },
      },
    },
  ],
  exporters: { onnx: 'toOnnx' },
} as const satisfies BackendManifest;
