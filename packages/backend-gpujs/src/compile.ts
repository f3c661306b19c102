// Compiles a spec to gpu.js kernels: checks weights, lowers the composites the kernel table says
// 'decompose' (lowerSpec), and per set of bound shapes records a plan (see plan.ts) that every run
// with those shapes replays.
import {
  type CompiledModel,
  type CompileOptions,
  checkInputs,
  checkWeights,
  inferShapes,
  isUnsupported,
  type LoweredNode,
  type LoweredSpec,
  lowerSpec,
  type ModelSpec,
  numel,
  type Tensor,
  UnsupportedOpError,
  type Weights,
} from '@tessera/spec';
import type { GPU } from 'gpu.js';
import { kernels } from './kernels/index.js';
import type { KernelContext, Outputs, Value } from './kernels/types.js';
import {
  execute,
  KernelCache,
  type KernelRun,
  type ModeLimits,
  type Plan,
  PlanBuilder,
  readSlot,
  release,
} from './plan.js';

/** Ids travel as float32, which holds every integer of magnitude ≤ 2^24 exactly. */
const MAX_INT = 2 ** 24;

export interface GpujsCompileOptions extends CompileOptions {
  /** Called with the source of every kernel handed to gpu.js (for audits and tests). */
  onKernelSource?: (source: string) => void;
  /**
   * Called after every kernel call of every run with the node it belongs to and its wall-clock
   * time: a profile split by op (`tessera bench --profile`). Costs a timer read per kernel.
   */
  onKernelRun?: (run: KernelRun) => void;
}

interface Recorded {
  plan: Plan;
  outputs: { name: string; slot: number; dtype: Tensor['dtype']; shape: number[] }[];
}

/**
 * What a compiled model holds until it is disposed. Kept in one object that dispose() drops, so a
 * disposed model its caller still references retains nothing but its closures.
 */
interface Live {
  graph: LoweredSpec;
  params: Map<string, Float32Array>;
  cache: KernelCache;
  plans: Map<string, Recorded>;
  inputNames: string[];
}

type AnyKernel = (node: LoweredNode, inputs: Value[], ctx: KernelContext) => Outputs;

/** The kernel of a lowered node (lowerSpec left no 'decompose'; compile refused unsupported ops). */
function kernelOf(node: LoweredNode): AnyKernel {
  const k = kernels[node.op];
  if (typeof k !== 'function') throw new Error(`internal: ${node.op} (${node.id}) has no kernel`);
  // The table pairs each op with its own kernel, so node.op's entry takes this node.
  return k as AnyKernel;
}

/** Records the plan of every kernel call at one set of bound dims. */
function record(live: Live, bindings: Record<string, number>): Recorded {
  const { graph, cache, params, inputNames } = live;
  const shapes = inferShapes(graph, bindings);
  const builder = new PlanBuilder(cache, inputNames.length);
  const values = new Map<string, Value>();
  for (const [k, name] of inputNames.entries()) {
    values.set(name, { shape: shapes.get(name)!.shape as number[], slot: k });
  }
  for (const node of graph.nodes) {
    const result = kernelOf(node)(
      node,
      node.input.map((ref) => values.get(ref)!),
      builder.context(node, params),
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

export async function compileModel(
  spec: ModelSpec,
  weights: Weights,
  gpu: GPU,
  limits: ModeLimits,
  options: GpujsCompileOptions = {},
): Promise<CompiledModel> {
  checkWeights(spec, weights);
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
  const inputNames = Object.keys(spec.inputs);
  let live: Live | null = {
    graph,
    params,
    cache: new KernelCache(gpu, limits, options.onKernelSource),
    plans: new Map<string, Recorded>(),
    inputNames,
  };

  // A spec without symbolic dims has one plan: record it now, so mode limits surface at compile.
  const staticShapes = Object.values(spec.inputs).every((i) =>
    i.shape.every((d) => typeof d === 'number'),
  );
  if (staticShapes) live.plans.set('', record(live, {}));

  return {
    async run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
      const m = live;
      if (m === null) throw new Error('this compiled model was disposed');
      const { bindings } = checkInputs(spec, inputs, { limits: options.limits });
      // Int32 inputs only feed embeddings, whose ids checkInputs bounds below numEmbeddings ≤ 2^24.
      const feeds = m.inputNames.map((name) => {
        const data = inputs[name].data;
        return data instanceof Float32Array ? data : Float32Array.from(data);
      });
      const key = Object.keys(bindings)
        .sort()
        .map((d) => `${d}=${bindings[d]}`)
        .join(',');
      let recorded = m.plans.get(key);
      if (recorded === undefined) {
        recorded = record(m, bindings);
        m.plans.set(key, recorded);
      }
      const slots = await execute(recorded.plan, feeds, options.onKernelRun);
      const result: Record<string, Tensor> = {};
      try {
        for (const o of recorded.outputs) {
          // A model input given as an output is copied from the caller's tensor, exact in its dtype.
          const data =
            o.slot < m.inputNames.length
              ? inputs[m.inputNames[o.slot]].data.slice()
              : await readSlot(slots[o.slot], numel(o.shape));
          result[o.name] = { dtype: o.dtype, shape: [...o.shape], data };
        }
      } finally {
        release(slots, m.inputNames.length);
      }
      return result;
    },
    async dispose(): Promise<void> {
      const m = live;
      if (m === null) return;
      live = null;
      m.plans.clear();
      m.params.clear();
      await m.cache.destroy();
    },
  };
}
