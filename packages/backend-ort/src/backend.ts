// The runtime: one InferenceSession per compiled model, on onnxruntime-node or onnxruntime-web.
// Each runtime is imported with a dynamic import() only when its variant is created, and the
// node runtime's specifier is hidden from bundlers, so a browser bundle never reaches it.
import {
  type CompiledModel,
  type CompileOptions,
  checkInputs,
  type Decoder,
  type DecoderOptions,
  decodePlan,
  type Limits,
  type ModelOf,
  type ModelSpec,
  type Tensor,
  type TensorMap,
  toWeights,
  type TypedBackend,
  typedModel,
} from '@tessera/spec';
import type * as Ort from 'onnxruntime-node';
import { buildGraph, supports, type ToOnnxOptions } from './compile.js';
import { decoderFactory } from './decode.js';
import type { AttentionPath } from './kernels/types.js';
import { manifest } from './manifest.js';
import { runFailure, SessionGuard } from './session-guard.js';

/** The variants of src/manifest.ts. */
export type OrtVariant = (typeof manifest.variants)[number]['name'];
const variantNames: readonly string[] = manifest.variants.map((v) => v.name);

/** Options of createBackend: the variant, ORT's session options, and how graphs are written. */
export interface OrtBackendOptions {
  /** 'node' (onnxruntime-node, default), 'wasm' (onnxruntime-web, node or browser), 'webgpu' (browser). */
  variant?: OrtVariant;
  /** ORT graph optimisation level; 'all' by default. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
  /** Intra-op threads (node) or wasm threads (wasm, set once per process); all cores by default. */
  intraOpNumThreads?: number;
  /** Where ORT writes the optimised model (node: a file path), for inspection. */
  optimizedModelFilePath?: string;
  /** How attention is lowered (see README.md). */
  attention?: AttentionPath;
  /** ONNX opset of the generated graphs. */
  opset?: number;
  /** wasm/webgpu: where the ort-wasm-*.wasm files are served from (a URL prefix). */
  wasmPaths?: string;
  /** ORT log severity: 0 verbose … 4 fatal; 3 (errors) by default. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

type Runtime = typeof Ort;

// Variable specifiers keep bundlers from following these into a browser bundle.
const NODE_RUNTIME = 'onnxruntime-node';
const NODE_OS = 'node:os';

async function coreCount(): Promise<number> {
  const os = (await import(
    /* @vite-ignore */ /* webpackIgnore: true */ NODE_OS
  )) as typeof import('node:os');
  return os.availableParallelism();
}

/**
 * A browser's default wasm thread count. ORT's threads share memory (SharedArrayBuffer), which a
 * page or worker has only when cross-origin isolated: elsewhere ORT would warn and use one anyway.
 */
export function hardwareThreads(
  scope: {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  } = globalThis,
): number {
  if (scope.crossOriginIsolated !== true) return 1;
  return scope.navigator?.hardwareConcurrency ?? 1;
}

async function loadRuntime(
  variant: OrtVariant,
  options: OrtBackendOptions,
): Promise<{ ort: Runtime; threads: number; providers: string[] }> {
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (variant === 'node') {
    if (!isNode)
      throw new Error(
        "the ORT 'node' variant needs Node.js; in a browser use variant 'wasm' or 'webgpu'",
      );
    const ort = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ NODE_RUNTIME
    )) as Runtime;
    return {
      ort: (ort as { default?: Runtime }).default ?? ort,
      threads: options.intraOpNumThreads ?? (await coreCount()),
      providers: ['cpu'],
    };
  }
  if (variant === 'webgpu') {
    const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
    if (isNode || gpu === undefined) {
      throw new Error(
        "the ORT 'webgpu' variant needs a browser with WebGPU (navigator.gpu)" +
          (isNode ? "; in Node.js use variant 'node' or 'wasm'" : '; this browser has none'),
      );
    }
    // navigator.gpu can exist while no adapter answers (headless Chromium under --disable-gpu).
    let adapter: unknown;
    try {
      adapter = await (gpu as { requestAdapter(): Promise<unknown> }).requestAdapter();
    } catch (e) {
      throw new Error(
        `the ORT 'webgpu' variant needs a WebGPU adapter; navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (adapter === null || adapter === undefined)
      throw new Error(
        "the ORT 'webgpu' variant needs a WebGPU adapter, and navigator.gpu.requestAdapter() gave none",
      );
    const ort = (await import('onnxruntime-web/webgpu')) as unknown as Runtime;
    configureWasm(ort, options, options.intraOpNumThreads ?? hardwareThreads());
    // Nodes WebGPU has no kernel for (the recurrences) run on the wasm CPU provider.
    return { ort, threads: 1, providers: ['webgpu', 'wasm'] };
  }
  if (variant !== 'wasm')
    throw new Error(
      `unknown ORT variant ${JSON.stringify(variant)}; the variants are ${variantNames.join(', ')}`,
    );
  const ort = (await import('onnxruntime-web')) as unknown as Runtime;
  const threads = options.intraOpNumThreads ?? (isNode ? await coreCount() : hardwareThreads());
  configureWasm(ort, options, threads);
  return { ort, threads: 1, providers: ['wasm'] };
}

/**
 * ORT reads env.wasm once, when its first session starts: later changes are ignored. In node the
 * package finds its .wasm files next to its own module; a browser bundle may need `wasmPaths`.
 */
function configureWasm(ort: Runtime, options: OrtBackendOptions, threads: number): void {
  ort.env.wasm.numThreads = threads;
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
}

/** A variant's runtime and the options every session of its models is created with. */
async function openRuntime(
  variant: OrtVariant,
  options: OrtBackendOptions,
): Promise<{ ort: Runtime; sessionOptions: Ort.InferenceSession.SessionOptions }> {
  const { ort, threads, providers } = await loadRuntime(variant, options);
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: providers,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    logSeverityLevel: options.logSeverityLevel ?? 3,
  };
  if (variant === 'node') sessionOptions.intraOpNumThreads = threads;
  if (options.optimizedModelFilePath !== undefined)
    sessionOptions.optimizedModelFilePath = options.optimizedModelFilePath;
  return { ort, sessionOptions };
}

/** ONNX bytes built elsewhere (bench's hand-built graphs), in a session like Tessera's own. */
export interface OnnxSession {
  /** The inputs as ORT tensors once; the function returned runs the session on them. */
  runner(inputs: Record<string, Tensor>): () => Promise<unknown>;
  release(): Promise<void>;
}

const isVariant = (name: string): name is OrtVariant => variantNames.includes(name);

/**
 * A session for `bytes` on the runtime of `variant` (a name from the manifest, as a bench peer
 * gives it), with the options createBackend's models get.
 */
export async function createSession(
  bytes: Uint8Array,
  variant: string,
  options: Omit<OrtBackendOptions, 'variant'> = {},
): Promise<OnnxSession> {
  if (!isVariant(variant))
    throw new Error(
      `unknown ORT variant ${JSON.stringify(variant)}; the variants are ${variantNames.join(', ')}`,
    );
  const { ort, sessionOptions } = await openRuntime(variant, options);
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  return {
    runner(inputs) {
      const feeds = Object.fromEntries(
        Object.entries(inputs).map(([k, t]) => [k, new ort.Tensor(t.dtype, t.data, t.shape)]),
      );
      return () => session.run(feeds);
    },
    release: () => session.release(),
  };
}

/**
 * Starts an ONNX Runtime variant (`node` when none is named); its compile writes the spec as an
 * ONNX graph (buildGraph) and opens an InferenceSession on it. Rejects with the reason when the
 * variant's runtime cannot start here.
 *
 * @example
 * const backend = await createBackend({ variant: 'node', intraOpNumThreads: 1 });
 * const model = await backend.compile(spec, initWeights(spec, 0));
 * const { logits } = await model.run(randomInputs(spec, { batch: 2, time: 16 }, 1));
 * await model.dispose();
 */
export async function createBackend(options: OrtBackendOptions = {}): Promise<TypedBackend> {
  const variant = options.variant ?? manifest.variants[0].name;
  const { ort, sessionOptions } = await openRuntime(variant, options);

  return {
    name: 'ort',
    variant,
    supports,
    async compile<S extends ModelSpec>(
      spec: S,
      weights: TensorMap,
      compileOptions: CompileOptions = {},
    ): Promise<ModelOf<S>> {
      const graphOptions: ToOnnxOptions = {
        attention: (compileOptions.attention as AttentionPath | undefined) ?? options.attention,
        opset: (compileOptions.opset as number | undefined) ?? options.opset,
      };
      const graph = buildGraph(spec, weights, graphOptions);
      const session = await ort.InferenceSession.create(graph.bytes, sessionOptions);
      const model = new OrtModel(
        ort,
        session,
        `ort:${variant}`,
        spec,
        graph.inputs,
        graph.outputs,
        compileOptions.limits,
      );
      model.decoderOf = decoderFactory(spec, toWeights(weights), {
        ort,
        sessionOptions,
        gpuCaches: variant === 'webgpu',
        graphOptions,
        limits: compileOptions.limits,
        label: `ort:${variant}`,
      });
      return typedModel(spec, model);
    },
  };
}

class OrtModel implements CompiledModel {
  private readonly guard: SessionGuard<Ort.InferenceSession>;
  /** The spec's node ids, to name the node of a runtime failure. */
  private readonly nodeIds: string[];
  /** Set by compile when the spec can decode (decode.ts). */
  decoderOf?: (options?: DecoderOptions) => Promise<Decoder>;

  constructor(
    private readonly ort: Runtime,
    session: Ort.InferenceSession,
    private readonly label: string,
    private readonly spec: ModelSpec,
    private readonly inputNames: Map<string, string>,
    private readonly outputNames: Map<string, { name: string; dtype: 'float32' | 'int32' }>,
    private readonly limits: Partial<Limits> | undefined,
  ) {
    this.guard = new SessionGuard(session, `${label} model ${JSON.stringify(spec.name)}`);
    this.nodeIds = spec.nodes.map((n) => n.id);
  }

  async run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    if (this.guard.disposed) throw this.guard.refusal();
    // Names, dtypes, shapes and embedding ids, checked before ORT sees anything (InputError).
    checkInputs(this.spec, inputs, { limits: this.limits });
    const feeds: Record<string, Ort.Tensor> = {};
    for (const [name, onnxName] of this.inputNames) {
      const t = inputs[name];
      feeds[onnxName] = new this.ort.Tensor(t.dtype, t.data, t.shape);
    }
    // Counted in flight from here: dispose() waits for it before releasing the session.
    return this.guard.use(async (session) => {
      let results: Ort.InferenceSession.ReturnType;
      try {
        results = await session.run(feeds);
      } catch (e) {
        throw runFailure(e, this.label, this.nodeIds);
      }
      const out: Record<string, Tensor> = {};
      for (const [name, { name: onnxName, dtype }] of this.outputNames) {
        const r = results[onnxName];
        const data =
          dtype === 'float32'
            ? new Float32Array(r.data as Float32Array)
            : new Int32Array(r.data as Int32Array);
        out[name] = { dtype, shape: r.dims.map(Number), data };
      }
      for (const r of Object.values(results)) r.dispose();
      return out;
    });
  }

  /** Rejects with decodePlan's SpecError, naming the node, when the spec cannot decode. */
  async decoder(options?: DecoderOptions): Promise<Decoder> {
    if (this.guard.disposed) throw this.guard.refusal();
    if (this.decoderOf === undefined) {
      decodePlan(this.spec); // the SpecError saying why
      throw new Error(`internal: ${this.spec.name} decodes, but compile kept no decoder`);
    }
    return this.decoderOf(options);
  }

  /**
   * Waits for the runs in flight, then releases the session; runs called after it are refused.
   * A decoder made earlier keeps its own sessions until its own dispose().
   */
  async dispose(): Promise<void> {
    this.decoderOf = undefined;
    await this.guard.dispose();
  }
}
