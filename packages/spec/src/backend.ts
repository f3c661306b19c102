// The interface every backend package implements, and the manifest it exports.
import type { Decoder, DecoderOptions } from './decode.js';
import type { Limits } from './limits.js';
import type { OpName } from './ops/registry.js';
import type { ModelSpec } from './schema.js';
import type { Tensor, TensorMap, Weights } from './tensor.js';
import type { ModelOf } from './typed.js';

/** Options of `Backend.compile`: the limits, and options a backend reads by name. */
export interface CompileOptions {
  /** Limits on weights, activations and state; each left out keeps its default (`defaultLimits`). */
  limits?: Partial<Limits>;
  /** Backend-specific options (thread counts, optimisation levels, ...). */
  [option: string]: unknown;
}

/**
 * A model a backend compiled. `Inputs` and `Outputs` are what `run` takes and gives: named
 * tensors by default, exactly a typed spec's inputs and outputs when compiled from one (see
 * `defineSpec` and `ModelOf`).
 */
export interface CompiledModel<
  Inputs = Record<string, Tensor>,
  Outputs extends Record<string, Tensor> = Record<string, Tensor>,
> {
  /**
   * Runs the model on `inputs` (checked against the spec first: an InputError names the input)
   * and gives its outputs by name, as float32 or int32 tensors.
   */
  run(inputs: Inputs): Promise<Outputs>;
  /** Frees what the model holds (sessions, kernels, tensors); it cannot run afterwards. */
  dispose(): Promise<void>;
  /**
   * A decoder running the model one step at a time (§6.5): present on every backend; rejects
   * with a SpecError naming the node when the spec is not decodable (see decodable()).
   */
  decoder?(options?: DecoderOptions): Promise<Decoder>;
}

/** A started backend variant: it says which ops it runs and compiles specs into runnable models. */
export interface Backend {
  /** Its manifest's `name`. */
  name: string;
  /** The name of one of its manifest's variants. */
  variant: string;
  /** true, or the reason the op cannot run here. */
  supports(op: OpName | string): true | string;
  /**
   * Compiles `spec` with its weights by full name, as a Map or a plain object (readSafetensors'
   * tensors, either way): a WeightError names every missing or misshapen weight.
   */
  compile(spec: ModelSpec, weights: TensorMap, options?: CompileOptions): Promise<CompiledModel>;
}

/**
 * What every backend package's createBackend gives: a Backend whose compile is typed by the
 * spec. The model's `run` takes its inputs as a Map or a plain object; for a typed spec
 * (`defineSpec`) it requires exactly the spec's inputs and returns a record keyed by its outputs,
 * and `M` is the package's own model type (its extra members kept). A Backend written by hand
 * (a test's fake) need not be one.
 */
export interface TypedBackend<M extends CompiledModel = CompiledModel> extends Backend {
  compile<S extends ModelSpec>(
    spec: S,
    weights: TensorMap,
    options?: CompileOptions,
  ): Promise<ModelOf<S, M>>;
}

/** What a backend package's createBackend returns when a variant cannot start here. */
export type BackendFactory = (options?: {
  variant?: string;
  [option: string]: unknown;
}) => Promise<Backend>;

// ---------------------------------------------------------------------------------------------
// Backend manifests: what a backend package says about its variants, so that front-ends (the CLI,
// conformance-browser, the playground, bench, the examples) loop over manifests instead of
// listing variants or comparing backend names.

/** Where a backend variant can run. */
export type Host = 'node' | 'browser';

/**
 * Files a browser page serves for a variant (in Node.js a backend finds them in its dependencies).
 * The page serves every file under `<dir>/<base name>`; the backend gets that folder's URL as its
 * `wasmPaths` option.
 */
export interface WasmAssets {
  /** The folder, relative to the page, the files are served from. */
  dir: string;
  /** The files as module specifiers (`onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm`). */
  files: readonly string[];
}

/** What a variant needs of the place it runs in, checked before it starts (see `unmetNeed`). */
export interface VariantNeeds {
  /** A WebGPU adapter: `navigator.gpu.requestAdapter()` must answer with one. */
  webgpuAdapter?: boolean;
  /** A canvas WebGL context of at least this version (1: `webgl`, 2: `webgl2`). */
  webgl?: 1 | 2;
  /** In a browser, wasm files served beside the page. */
  wasm?: WasmAssets;
}

/** One kernel call a profiler timed. */
export interface OpCall {
  /** What the call ran, in the profiler's `unit` (a tfjs kernel, an ONNX op type, a spec op). */
  op: string;
  ms: number;
}

/**
 * What a Profiler times: a started variant, a spec with its weights and inputs, and how many runs.
 */
export interface ProfileRequest {
  /** The started variant. */
  backend: Backend;
  spec: ModelSpec;
  weights: Weights;
  inputs: Record<string, Tensor>;
  /** Forward passes to time, after one untimed warm-up. */
  runs: number;
}

/** How `tessera bench --profile` splits a forward pass of one variant by op. */
export interface Profiler {
  /** What an OpCall's `op` names: 'tfjs kernel', 'ONNX op', 'spec op'. */
  unit: string;
  /**
   * Every kernel call of `runs` forward passes. Where the calls are named by spec op, `graph` is
   * the spec the backend ran (its composites lowered as it lowers them), so that FLOPs per op can
   * be counted on it.
   */
  profile(request: ProfileRequest): Promise<{ calls: OpCall[]; graph?: ModelSpec }>;
}

/**
 * The yardstick bench times a variant against: the peer `name` of bench's table (a hand-written
 * model for one runtime), on `variant` of that runtime.
 */
export interface PeerRef {
  name: string;
  variant: string;
  /** The ratio to the peer the variant aims for (Tessera's median over the peer's; 1.1: 10% slower). */
  target?: number;
}

/**
 * One variant of a backend package as its manifest describes it: where it runs, what it needs,
 * its profiler and the peer bench times it against.
 */
export interface VariantManifest {
  /** `Backend.variant` of what createBackend({ variant: name }) starts. */
  name: string;
  runsIn: readonly Host[];
  /** Where conformance and bench run it when no variant is named; all of `runsIn` when absent. */
  defaultIn?: readonly Host[];
  needs?: VariantNeeds;
  /** bench --profile's per-op timer, imported on demand (it may need runtime parts). */
  profiler?: () => Promise<Profiler>;
  peer?: PeerRef;
}

/** What a front-end passes to createBackend. */
export interface BackendOptions {
  /** A variant of the manifest; the first when absent. */
  variant?: string;
  /**
   * For a variant that needs wasm files: where a page serves them, as a URL prefix (or, where a
   * backend takes one, a map from file name to URL).
   */
  wasmPaths?: string | Record<string, string>;
}

/** What a backend package's main entry exports for front-ends. */
export interface BackendModule {
  // A method, so that a package's createBackend may narrow `variant` to its own names and take
  // more options: a front-end passes a name from the manifest, which createBackend checks.
  /** Starts a variant of the package (the manifest's first when none is named). */
  createBackend(options?: BackendOptions): Promise<Backend>;
  manifest: BackendManifest;
}

/**
 * Exported as `manifest` by `@tessera/backend-<name>` and by its `./manifest` subpath. Data and
 * small functions; it imports nothing of its package but its profiler, on demand.
 */
export interface BackendManifest {
  /** `Backend.name`; the package is `@tessera/backend-<name>`. */
  name: string;
  /** Every variant; the first is the one createBackend starts when none is named. */
  variants: readonly VariantManifest[];
  /**
   * Formats the package writes a model in (`tessera export --format`), each with the name of the
   * main entry's export that writes it, `(spec, weights) => bytes`.
   */
  exporters?: Readonly<Record<string, string>>;
}

/**
 * A backend package as a front-end that bundles it lists it: its manifest (from the `./manifest`
 * subpath) and its main entry, imported on demand, so that the list loads no backend.
 */
export interface BackendPackage {
  manifest: BackendManifest;
  /** Imports the package's main entry (its runtime with it). */
  load(): Promise<BackendModule>;
}

/** One variant of one backend package, with its `name:variant` label. */
export interface ManifestEntry extends BackendPackage {
  variant: VariantManifest;
  label: string;
}

/** Every variant of `packages` that runs in `host`, in manifest order. */
export function variantsIn(packages: readonly BackendPackage[], host: Host): ManifestEntry[] {
  return packages.flatMap(({ manifest, load }) =>
    manifest.variants
      .filter((variant) => variant.runsIn.includes(host))
      .map((variant) => ({ manifest, load, variant, label: `${manifest.name}:${variant.name}` })),
  );
}

/**
 * The wasm files a page must serve for `entries`, each once: `path` is where (`<dir>/<base name>`),
 * `specifier` the module specifier to copy it from.
 */
export function wasmFilesOf(
  entries: readonly ManifestEntry[],
): { path: string; specifier: string }[] {
  const files = new Map<string, string>();
  for (const { variant } of entries) {
    const wasm = variant.needs?.wasm;
    if (wasm === undefined) continue;
    for (const specifier of wasm.files)
      files.set(`${wasm.dir}/${specifier.slice(specifier.lastIndexOf('/') + 1)}`, specifier);
  }
  return [...files].map(([path, specifier]) => ({ path, specifier }));
}

/** Whether conformance and bench run `variant` in `host` when no variant is named. */
export function isDefaultIn(variant: VariantManifest, host: Host): boolean {
  return variant.runsIn.includes(host) && (variant.defaultIn ?? variant.runsIn).includes(host);
}

/** Why this runtime lacks what `needs` asks for, or undefined when it has all of it. */
export async function unmetNeed(needs: VariantNeeds = {}): Promise<string | undefined> {
  if (needs.webgl !== undefined) {
    const kind = needs.webgl === 2 ? 'webgl2' : 'webgl';
    const doc = (globalThis as { document?: Document }).document;
    if (doc === undefined) return `needs a ${kind} context; this runtime has no document`;
    const gl = doc.createElement('canvas').getContext(kind) as WebGLRenderingContext | null;
    if (gl === null) return `needs a ${kind} context, and canvas.getContext("${kind}") gave none`;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
  if (needs.webgpuAdapter === true) {
    type Gpu = { requestAdapter(): Promise<unknown> };
    const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
    if (gpu === undefined) return 'needs a WebGPU adapter; this runtime has no navigator.gpu';
    let adapter: unknown;
    try {
      adapter = await gpu.requestAdapter();
    } catch (e) {
      return `needs a WebGPU adapter; navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    // navigator.gpu exists in a secure context even where no adapter answers (headless Chromium
    // under --disable-gpu without --enable-unsafe-webgpu).
    if (adapter === null || adapter === undefined)
      return 'needs a WebGPU adapter, and navigator.gpu.requestAdapter() gave none';
  }
  return undefined;
}

/**
 * Starts a variant as a front-end does: checks its needs (a reason is thrown as an Error), loads
 * its package and creates it; with `assetsBase` (a page's base URL) a variant that needs wasm
 * files is told where they are served.
 */
export async function startVariant(
  entry: ManifestEntry,
  options: { assetsBase?: string } = {},
): Promise<Backend> {
  const { variant } = entry;
  const reason = await unmetNeed(variant.needs);
  // Front-ends print a reason after the label: "ort:webgpu: needs a WebGPU adapter, ...".
  if (reason !== undefined) throw new Error(reason);
  const wasm = variant.needs?.wasm;
  const mod = await entry.load();
  return mod.createBackend({
    variant: variant.name,
    ...(wasm !== undefined && options.assetsBase !== undefined
      ? { wasmPaths: new URL(`${wasm.dir}/`, options.assetsBase).href }
      : {}),
  });
}
