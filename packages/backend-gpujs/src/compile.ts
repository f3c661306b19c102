// Compiles a spec to gpu.js kernels: checks weights, lowers the composites the kernel table says
// 'decompose' (lowerSpec), and per set of bound shapes records a plan (see plan.ts) that every run
// with those shapes replays. A model's decoder (§6.5) compiles the prefill and step specs the
// same way over the model's weights, kernel cache and GPU instance, keeping the state between
// steps in the kernels' own results (Float32Arrays on cpu and webasm, textures on GL).
import {
  asRuntimeFailure,
  type CompiledModel,
  type CompileOptions,
  checkStepInputs,
  checkWeights,
  createDecoder,
  inferShapes,
  isUnsupported,
  type LoweredNode,
  type LoweredSpec,
  lowerSpec,
  type ModelSpec,
  numel,
  type StepModel,
  type Tensor,
  toWeights,
  UnsupportedOpError,
  type Weights,
} from '@tessera/spec';
import type { GPU } from 'gpu.js';
import { kernels } from './kernels/index.js';
import type { KernelContext, Outputs, Value } from './kernels/types.js';
import {
  type Data,
  execute,
  KernelCache,
  type KernelRun,
  type ModeLimits,
  type Plan,
  PlanBuilder,
  readSlot,
  release,
} from './plan.js';
import { follow, type Template } from './template.js';

/** Ids travel as float32, which holds every integer of magnitude ≤ 2^24 exactly. */
const MAX_INT = 2 ** 24;

/** Plans kept per program whose shapes change from run to run and follow no template. */
const DYNAMIC_PLANS = 8;

/**
 * Options of the gpu.js backend's compile: the limits, and hooks that see each kernel's source and
 * time.
 */
export interface GpujsCompileOptions extends CompileOptions {
  /** Called with the source of every kernel handed to gpu.js (for audits and tests). */
  onKernelSource?: (source: string) => void;
  /**
   * Called after every kernel call of every run with the node it belongs to and its wall-clock
   * time: a profile split by op (`tessera bench --profile`). Costs a timer read per kernel.
   */
  onKernelRun?: (run: KernelRun) => void;
}

/** A decoder's state tensor as the kernels left it: their result, never read back to JavaScript. */
export interface Resident {
  data: Data;
  shape: number[];
}

interface Recorded {
  plan: Plan;
  outputs: { name: string; slot: number; dtype: Tensor['dtype']; shape: number[] }[];
}

/** What a model and its decoder's programs share; `disposed` once the model is. */
interface Shared {
  params: Map<string, Float32Array>;
  cache: KernelCache;
  limits: ModeLimits;
  options: GpujsCompileOptions;
  disposed: boolean;
}

type AnyKernel = (node: LoweredNode, inputs: Value[], ctx: KernelContext) => Outputs;

/** The kernel of a lowered node (lowerSpec left no 'decompose'; compile refused unsupported ops). */
function kernelOf(node: LoweredNode): AnyKernel {
  const k = kernels[node.op];
  if (typeof k !== 'function') throw new Error(`internal: ${node.op} (${node.id}) has no kernel`);
  // The table pairs each op with its own kernel, so node.op's entry takes this node.
  return k as AnyKernel;
}

/** The spec lowered for this kernel table; unsupported ops are refused here, naming the node. */
function lowerFor(spec: ModelSpec): LoweredSpec {
  const graph = lowerSpec(spec, kernels);
  for (const node of graph.nodes) {
    const k = kernels[node.op];
    if (isUnsupported(k)) throw new UnsupportedOpError(node.op, k.unsupported, node.id);
    if (node.op === 'embedding' && node.numEmbeddings > MAX_INT) {
      throw new UnsupportedOpError(
        node.op,
        `numEmbeddings ${node.numEmbeddings} is over 2^24: ids travel as float32`,
        node.id,
      );
    }
  }
  return graph;
}

/**
 * One spec's graph over shared weights and kernels: the model's own, or its decoder's prefill or
 * step. `dynamicDims` are the dims that change from run to run of one shape class (a step spec's
 * cache positions); the nodes whose shapes hold them get kernels built for every size.
 */
class Program {
  readonly graph: LoweredSpec;
  readonly inputNames: string[];
  private readonly plans = new Map<string, Recorded>();
  /** Per binding of the other dims, the lowered nodes whose shapes hold a dynamic dim. */
  private readonly dynamicNodes = new Map<string, Set<string>>();
  /** Per binding of the other dims, the fit of plans to the one dynamic dim (template.ts). */
  private readonly templates = new Map<string, Template<Recorded>>();

  constructor(
    readonly spec: ModelSpec,
    private readonly shared: Shared,
    private readonly dynamicDims: ReadonlySet<string> = new Set(),
  ) {
    this.graph = lowerFor(spec);
    this.inputNames = Object.keys(spec.inputs);
  }

  private get live(): Shared {
    if (this.shared.disposed) throw new Error('this compiled model was disposed');
    return this.shared;
  }

  /** Checks the inputs (a decoder step's beside its state, whose shapes bind the cache's dims). */
  async run(
    inputs: Record<string, Tensor>,
    state: Record<string, Resident> = {},
  ): Promise<{ slots: Data[]; recorded: Recorded }> {
    const shared = this.live;
    const shapes: Record<string, readonly number[]> = {};
    for (const [name, s] of Object.entries(state)) shapes[name] = s.shape;
    const { bindings } = checkStepInputs(this.spec, inputs, shapes, {
      limits: shared.options.limits,
    });
    // Int32 inputs feed embeddings (whose ids checkInputs bounds below numEmbeddings ≤ 2^24) and
    // positions (checked where they are read, rope.ts and positional-embedding.ts).
    const feeds = this.inputNames.map((name): Data => {
      if (Object.hasOwn(state, name)) return state[name].data;
      const data = inputs[name].data;
      return data instanceof Float32Array ? data : Float32Array.from(data);
    });
    const recorded = this.recorded(bindings);
    // A kernel's own failure (an output too large for the mode) as a Tessera error.
    const slots = await execute(recorded.plan, feeds, shared.options.onKernelRun).catch((e) => {
      throw asRuntimeFailure(e, 'gpujs');
    });
    return { slots, recorded };
  }

  /** The plan at `bindings`, recorded on first use (or derived, see template.ts). */
  recorded(bindings: Record<string, number>): Recorded {
    const [dim] = this.dynamicDims;
    if (this.dynamicDims.size === 1 && dim in bindings) {
      const { [dim]: at, ...others } = bindings;
      const key = JSON.stringify(others);
      const { plan, template } = follow(
        this.templates.get(key),
        at,
        () => this.record(bindings),
        this.shared.limits,
      );
      if (template !== undefined) this.templates.set(key, template);
      return plan;
    }
    const key = Object.keys(bindings)
      .sort()
      .map((d) => `${d}=${bindings[d]}`)
      .join(',');
    let recorded = this.plans.get(key);
    if (recorded === undefined) {
      recorded = this.record(bindings);
      if (this.dynamicDims.size > 0 && this.plans.size >= DYNAMIC_PLANS)
        this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, recorded);
    }
    return recorded;
  }

  /** The lowered nodes whose input or output shapes hold a dynamic dim. */
  private dynamicOf(bindings: Record<string, number>): Set<string> {
    if (this.dynamicDims.size === 0) return new Set();
    const fixed = Object.fromEntries(
      Object.entries(bindings).filter(([d]) => !this.dynamicDims.has(d)),
    );
    const key = JSON.stringify(fixed);
    let nodes = this.dynamicNodes.get(key);
    if (nodes === undefined) {
      const shapes = inferShapes(this.graph, fixed);
      const moves = (ref: string) => shapes.get(ref)!.shape.some((d) => typeof d !== 'number');
      nodes = new Set(
        this.graph.nodes.filter((n) => moves(n.id) || n.input.some(moves)).map((n) => n.id),
      );
      this.dynamicNodes.set(key, nodes);
    }
    return nodes;
  }

  /** Records the plan of every kernel call at one set of bound dims. */
  private record(bindings: Record<string, number>): Recorded {
    const { cache, params } = this.live;
    const { graph, inputNames } = this;
    const shapes = inferShapes(graph, bindings);
    const dynamic = this.dynamicOf(bindings);
    const builder = new PlanBuilder(cache, inputNames.length);
    const values = new Map<string, Value>();
    for (const [k, name] of inputNames.entries()) {
      values.set(name, { shape: shapes.get(name)!.shape as number[], slot: k });
    }
    for (const node of graph.nodes) {
      const result = kernelOf(node)(
        node,
        node.input.map((ref) => values.get(ref)!),
        builder.context(node, params, dynamic.has(node.id)),
      );
      const { out, ports } = 'slot' in result ? { out: result, ports: {} } : result;
      const produced: [string, Value][] = [
        [node.id, out],
        ...Object.entries(ports).map(([port, v]): [string, Value] => [`${node.id}:${port}`, v]),
      ];
      for (const [ref, v] of produced) {
        // A kernel that disagrees with shape inference is a bug here, not a bad spec.
        const want = shapes.get(ref)!.shape;
        if (want.length !== v.shape.length || want.some((d, j) => d !== v.shape[j])) {
          throw new Error(
            `internal: kernel for ${node.op} gave [${v.shape.join(', ')}] where [${want.join(', ')}] was inferred`,
          );
        }
        values.set(ref, v);
      }
    }
    const outputs = Object.entries(graph.outputs).map(([name, ref]) => {
      const v = values.get(ref)!;
      return { name, slot: v.slot, dtype: shapes.get(ref)!.dtype, shape: v.shape };
    });
    return { plan: builder.build(), outputs };
  }

  /** Output `o` of a run, copied to the host (a model input given as an output: exactly). */
  async read(
    o: Recorded['outputs'][number],
    slots: Data[],
    inputs: Record<string, Tensor>,
  ): Promise<Tensor> {
    const data =
      o.slot < this.inputNames.length && Object.hasOwn(inputs, this.inputNames[o.slot])
        ? inputs[this.inputNames[o.slot]].data.slice()
        : await readSlot(slots[o.slot], numel(o.shape));
    return { dtype: o.dtype, shape: [...o.shape], data };
  }

  /** A plain run: every output read back. */
  async runAll(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const { slots, recorded } = await this.run(inputs);
    const result: Record<string, Tensor> = {};
    try {
      for (const o of recorded.outputs) result[o.name] = await this.read(o, slots, inputs);
    } finally {
      release(slots, this.inputNames.length);
    }
    return result;
  }

  /** A decoder's run: the state outputs stay where the kernels left them (StepModel.run). */
  async runState(
    inputs: Record<string, Tensor>,
    state: Record<string, Resident>,
    stateOutputs: readonly string[],
  ): Promise<{ outputs: Record<string, Tensor>; state: Record<string, Resident> }> {
    const { slots, recorded } = await this.run(inputs, state);
    const outputs: Record<string, Tensor> = {};
    const next: Record<string, Resident> = {};
    const kept = new Set<number>();
    try {
      for (const o of recorded.outputs) {
        if (!stateOutputs.includes(o.name)) {
          outputs[o.name] = await this.read(o, slots, inputs);
          continue;
        }
        // A slot owned already (a model input, the previous state, which the decoder frees; or
        // another state output) is copied to the host instead.
        const owned = o.slot < this.inputNames.length || kept.has(o.slot);
        const data = owned ? await readSlot(slots[o.slot], numel(o.shape)) : slots[o.slot];
        if (!owned) kept.add(o.slot);
        next[o.name] = { data, shape: [...o.shape] };
      }
    } catch (e) {
      releaseResident(Object.values(next));
      throw e;
    } finally {
      release(slots.map((d, k) => (kept.has(k) ? undefined : d)) as Data[], this.inputNames.length);
    }
    return { outputs, state: next };
  }

  dispose(): void {
    this.plans.clear();
    this.dynamicNodes.clear();
    this.templates.clear();
  }
}

function releaseResident(handles: readonly Resident[]): void {
  release(
    handles.map((h) => h.data),
    0,
  );
}

/** The dims a step spec's state brings: those no input of the spec itself has (a cache's `past`). */
function stateDims(spec: ModelSpec, step: ModelSpec): Set<string> {
  const own = new Set(Object.values(spec.inputs).flatMap((i) => i.shape));
  return new Set(
    Object.values(step.inputs)
      .flatMap((i) => i.shape)
      .filter((d): d is string => typeof d === 'string' && !own.has(d)),
  );
}

export async function compileModel(
  spec: ModelSpec,
  weightsIn: Weights | Record<string, Tensor>,
  gpu: GPU,
  limits: ModeLimits,
  options: GpujsCompileOptions = {},
): Promise<CompiledModel> {
  const weights = toWeights(weightsIn);
  checkWeights(spec, weights);
  // Copies: later changes to the caller's weights do not reach the compiled model.
  const params = new Map<string, Float32Array>();
  for (const [name, t] of weights) {
    if (t.data.length > limits.maxElements) {
      throw new UnsupportedOpError(
        '(weights)',
        `weight ${name} has ${t.data.length} elements, over this variant's limit of ${limits.maxElements}`,
      );
    }
    params.set(name, Float32Array.from(t.data));
  }
  const shared: Shared = {
    params,
    cache: new KernelCache(gpu, limits, options.onKernelSource),
    limits,
    options,
    disposed: false,
  };
  const program = new Program(spec, shared);
  // Dropped by dispose(): a disposed model its caller still references retains only closures.
  let live: { program: Program; programs: Set<Program>; shared: Shared } | null = {
    program,
    programs: new Set([program]),
    shared,
  };
  const alive = () => {
    if (live === null) throw new Error('this compiled model was disposed');
    return live;
  };

  // A spec without symbolic dims has one plan: record it now, so mode limits surface at compile.
  const staticShapes = Object.values(spec.inputs).every((i) =>
    i.shape.every((d) => typeof d === 'number'),
  );
  if (staticShapes) program.recorded({});

  return {
    run: async (inputs: Record<string, Tensor>) => alive().program.runAll(inputs),
    async decoder(decoderOptions) {
      alive();
      return createDecoder(
        spec,
        async (s): Promise<StepModel<Resident>> => {
          const m = alive();
          let p: Program | null = new Program(s, m.shared, stateDims(spec, s));
          m.programs.add(p);
          const own = () => {
            if (p === null) throw new Error('this decoder has been disposed');
            return p;
          };
          return {
            run: (inputs, state, stateOutputs) => own().runState(inputs, state, stateOutputs),
            release: releaseResident,
            async dispose() {
              if (p === null) return;
              p.dispose();
              live?.programs.delete(p);
              p = null;
            },
          };
        },
        { limits: options.limits, ...decoderOptions },
      );
    },
    async dispose(): Promise<void> {
      const m = live;
      if (m === null) return;
      live = null;
      m.shared.disposed = true;
      for (const p of m.programs) p.dispose();
      m.programs.clear();
      m.shared.params.clear();
      await m.shared.cache.destroy();
    },
  };
}
