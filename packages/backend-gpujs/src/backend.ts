// The gpu.js backend: one GPU instance per compiled model, in the mode the variant names.
import {
  type ModelOf,
  type ModelSpec,
  type OpName,
  supportOf,
  type TensorMap,
  type TypedBackend,
  typedModel,
} from '@tessera/spec';
import { compileModel, type GpujsCompileOptions } from './compile.js';
import { kernels } from './kernels/index.js';
import { manifest } from './manifest.js';
import type { ModeLimits } from './plan.js';

/** The variants of src/manifest.ts: gpu.js's modes. */
export type Variant = (typeof manifest.variants)[number]['name'];
/** The variants' names (gpu.js's modes), in the manifest's order. */
export const variants: readonly Variant[] = manifest.variants.map((v) => v.name);

/** Options of createBackend: the variant (a gpu.js mode), precision and gpu.js's async mode. */
export interface GpujsBackendOptions {
  variant?: Variant | string;
  /** gpu.js precision; only 'single' is accepted ('unsigned' would quantise results to 8 bits). */
  precision?: 'single' | 'unsigned' | string;
  /**
   * gpu.js's async contract (`asyncMode`): every kernel call returns a promise, which the plan
   * executor awaits. On by default on webgl2 (non-blocking readback) and webgpu (always async);
   * off on cpu and webasm, where it only wraps the synchronous result (on webasm it also lets
   * kernels of ≥ 4096 outputs use gpu.js's worker pool; no gain measured on this 2-core machine).
   */
  asyncMode?: boolean;
  [option: string]: unknown;
}

// Kernel indices are float32: floor(i / s) is exact while i + s ≤ 2^24, so every tensor a kernel
// reads or writes stays at or below 2^23 elements. Loops on cpu and webasm have no bound of their
// own; on GL, a fragment shader loop that runs too long trips the driver's watchdog, so loops are
// capped at 2^16 iterations there (a conservative figure, not measured: no GPU here). JavaScript
// and WebAssembly arithmetic is IEEE 754, so cpu and webasm kernels may take and give ±∞; GLSL ES
// 3.0 and WGSL leave overflow and infinities undefined, so webgl2 and webgpu stand -3e38 for -∞.
// gpu.js's webasm builds a wasm module per set of sizes, which a decoder's growing cache would
// change at every step: its dynamic kernels take size classes (plan.ts, sizeClasses).
const limitsOf: Record<Variant, ModeLimits> = {
  cpu: { maxElements: 2 ** 23, maxLoop: 2 ** 23, infinities: true },
  webasm: { maxElements: 2 ** 23, maxLoop: 2 ** 23, infinities: true, sizeClasses: true },
  webgl2: { maxElements: 2 ** 23, maxLoop: 2 ** 16 },
  webgpu: { maxElements: 2 ** 23, maxLoop: 2 ** 16 },
};

/**
 * Starts a gpu.js variant (`cpu` when none is named); its compile plans the spec's kernels, which
 * gpu.js compiles for its mode on first use.
 *
 * @example
 * const backend = await createBackend({ variant: 'webasm' });
 * const model = await backend.compile(spec, initWeights(spec, 0));
 * const { logits } = await model.run(randomInputs(spec, { batch: 1, time: 8 }, 1));
 * await model.dispose();
 */
export async function createBackend(options: GpujsBackendOptions = {}): Promise<TypedBackend> {
  const variant = options.variant ?? manifest.variants[0].name;
  if (!(variants as readonly string[]).includes(variant)) {
    throw new Error(
      `gpujs: unknown variant ${JSON.stringify(variant)}; the variants are ${variants.join(', ')}`,
    );
  }
  if (options.precision !== undefined && options.precision !== 'single') {
    throw new Error(
      `gpujs: precision ${JSON.stringify(options.precision)} is refused: only 'single' keeps float32 results ('unsigned' packs values into 8-bit texels)`,
    );
  }
  const { GPU } = await import('gpu.js');
  const v = variant as Variant;
  const inNode =
    typeof process !== 'undefined' &&
    process.versions?.node !== undefined &&
    typeof window === 'undefined';
  if (v === 'webasm' && !GPU.isWebAssemblySupported)
    throw new Error('gpujs: variant webasm needs WebAssembly, which this runtime lacks');
  if (v === 'webgl2' && !GPU.isWebGL2Supported) {
    throw new Error(
      inNode
        ? 'gpujs: variant webgl2 runs in a browser; in node gpu.js would need headless-gl (the optional `gl` package), which is not built here'
        : 'gpujs: variant webgl2 needs a WebGL2 context, which this browser does not offer',
    );
  }
  if (v === 'webgpu' && !GPU.isWebGPUSupported) {
    throw new Error(
      inNode
        ? 'gpujs: variant webgpu runs in a browser with navigator.gpu; node has none'
        : 'gpujs: variant webgpu needs navigator.gpu, which this browser does not offer',
    );
  }
  // navigator.gpu can exist while no adapter answers (headless Chromium without
  // --enable-unsafe-webgpu); gpu.js would then fail on the first kernel call instead.
  if (v === 'webgpu') await requireWebGPUAdapter();
  const limits = limitsOf[v];
  const asyncMode = options.asyncMode ?? (v === 'webgl2' || v === 'webgpu');
  return {
    name: 'gpujs',
    variant: v,
    supports: (op: OpName | string): true | string => supportOf(kernels, op),
    compile<S extends ModelSpec>(
      spec: S,
      weights: TensorMap,
      compileOptions?: GpujsCompileOptions,
    ): Promise<ModelOf<S>> {
      // WebGPU kernels always answer with promises; the plan executor awaits them.
      const gpu = new GPU({ mode: v });
      return compileModel(spec, weights, gpu, { ...limits, asyncMode }, compileOptions).then(
        (model) => typedModel(spec, model),
        async (e) => {
          await gpu.destroy();
          throw e;
        },
      );
    },
  };
}

async function requireWebGPUAdapter(): Promise<void> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } })
    .navigator?.gpu;
  let adapter: unknown;
  try {
    adapter = await gpu?.requestAdapter();
  } catch (e) {
    throw new Error(
      `gpujs: variant webgpu needs a WebGPU adapter; navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (adapter === null || adapter === undefined) {
    throw new Error(
      'gpujs: variant webgpu needs a WebGPU adapter, and navigator.gpu.requestAdapter() gave none (a browser without a GPU, or one run with --disable-gpu and without --enable-unsafe-webgpu)',
    );
  }
}
