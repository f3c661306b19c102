// Compiling a spec for one tfjs variant: the spec is lowered once (composites the kernel table
// says 'decompose' for become their decompositions), weights are checked, uploaded and prepared
// once (kept tensors owned by the model until dispose()); each run checks its inputs, activates
// the model's variant (another model may have switched tfjs's global backend), runs the lowered
// graph inside tf.tidy and reads the outputs back as float32 Tensors. A decoder (§6.5) compiles
// its prefill and step specs over the same prepared tensors and keeps its state (caches, h and c)
// as tf tensors on the variant between steps.
import * as tf from '@tensorflow/tfjs';
import {
  type CompiledModel,
  type CompileOptions,
  checkStepInputs,
  asRuntimeFailure,
  checkWeights,
  createDecoder,
  type Decoder,
  type DecoderOptions,
  type Limits,
  type LoweredSpec,
  type ModelSpec,
  opDef,
  type StepModel,
  type Tensor,
  toWeights,
  type Weights,
} from '@tessera/spec';
import { prepareGraph, runGraph } from './forward.js';
import { lower } from './interpret.js';
import { kernels } from './kernels/index.js';
import { ensureTfBackend, type TfVariant, type VariantOptions } from './variants.js';

/** A model compiled for one tfjs variant; it switches tfjs back to that variant before each run. */
export interface TfjsModel extends CompiledModel {
  readonly variant: TfVariant;
  /** Number of tensors the model holds (its prepared weights). */
  readonly numTensors: number;
  /** A decoder over this model's prepared weights; its state stays in tf tensors on the variant. */
  decoder(options?: DecoderOptions): Promise<Decoder>;
}

/** Runs `f` synchronously right after `variant` became the active tfjs backend. */
export async function withBackend<T>(
  variant: TfVariant,
  options: VariantOptions,
  f: () => T,
): Promise<T> {
  while (tf.getBackend() !== variant) await ensureTfBackend(variant, options);
  return f();
}

/**
 * Checks the weights (WeightError), uploads them to `variant` and builds the model; what
 * `Backend.compile` does, without the spec's types.
 */
export async function compileTfjs(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  variant: TfVariant,
  options: CompileOptions & VariantOptions = {},
): Promise<TfjsModel> {
  checkWeights(spec, weights);
  const graph = lower(spec);
  const limits = options.limits as Partial<Limits> | undefined;
  const prepared = await withBackend(variant, options, () => {
    const names: string[] = [];
    const tensors = tf.tidy(() => {
      // Uploaded inside the tidy: raw tensors that prepare converts are freed with it. Copies,
      // because the cpu backend would otherwise keep the caller's arrays as its storage.
      const raw = new Map<string, tf.Tensor>();
      for (const [name, t] of toWeights(weights))
        raw.set(name, tf.tensor(t.data.slice(), t.shape, 'float32'));
      const p = prepareGraph(graph, raw);
      names.push(...p.keys());
      return [...p.values()];
    });
    return new Map(names.map((name, i) => [name, tensors[i]]));
  });
  let disposed = false;
  const alive = () => {
    if (disposed) throw new Error(`this tfjs model (${spec.name}) was disposed`);
  };
  const runner = (s: ModelSpec, g: LoweredSpec) =>
    graphRunner(s, g, { prepared, variant, options, limits, alive });
  const main = runner(spec, graph);

  return {
    variant,
    numTensors: new Set(prepared.values()).size,
    async run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
      return (await main.run(inputs, {}, [])).outputs;
    },
    async decoder(decoderOptions?: DecoderOptions): Promise<Decoder> {
      alive();
      return createDecoder(
        spec,
        async (s) => {
          const g = lower(s);
          checkShared(g, graph);
          return runner(s, g);
        },
        { limits, ...decoderOptions },
      );
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      for (const t of new Set(prepared.values())) t.dispose();
      prepared.clear();
    },
  };
}

interface RunnerContext {
  /** The model's prepared weights, shared by its decoders' graphs. */
  prepared: Map<string, tf.Tensor>;
  variant: TfVariant;
  options: VariantOptions;
  limits: Partial<Limits> | undefined;
  /** Throws once the model that owns `prepared` was disposed. */
  alive: () => void;
}

/**
 * Runs one lowered spec: host inputs are uploaded, `state` (a decoder's step: tensors returned
 * by an earlier run, fed as the inputs of the same names) is fed as it is. Outputs named in
 * `stateOutputs` come back as tensors the caller owns (kept out of the tidy by being returned
 * from it), the others are read back and freed. dispose() leaves the shared weights alone.
 */
function graphRunner(
  spec: ModelSpec,
  graph: LoweredSpec,
  ctx: RunnerContext,
): StepModel<tf.Tensor> {
  const check = inputChecker(spec, ctx.limits);
  return {
    async run(inputs, state, stateOutputs) {
      ctx.alive();
      const shapes = check(inputs, state);
      const given = new Set(Object.values(state));
      const outputs = await withBackend(ctx.variant, ctx.options, () =>
        tf.tidy(() => {
          const feeds: Record<string, tf.Tensor> = { ...state };
          for (const [name, want] of Object.entries(spec.inputs)) {
            if (Object.hasOwn(state, name)) continue;
            const t = inputs[name];
            feeds[name] = tf.tensor(t.data, t.shape, want.dtype);
          }
          const out = runGraph(graph, ctx.prepared, feeds);
          // The decoder frees the previous state once it holds the new one, so a state output
          // must be a tensor of its own, never a state input passed through.
          for (const name of stateOutputs)
            if (given.has(out[name])) out[name] = tf.clone(out[name]);
          return out;
        }),
      ).catch((e) => {
        throw asRuntimeFailure(e, `tfjs:${ctx.variant}`);
      });
      const kept = new Set(stateOutputs.map((name) => outputs[name]));
      try {
        const result: Record<string, Tensor> = {};
        const next: Record<string, tf.Tensor> = {};
        for (const [name, ref] of Object.entries(spec.outputs)) {
          const t = outputs[name];
          const { shape: want, dtype } = shapes.get(ref)!;
          if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
            throw new Error(
              `tfjs produced output ${JSON.stringify(name)} with shape [${t.shape.join(', ')}], the spec says [${want.join(', ')}] (a backend bug)`,
            );
          }
          if (stateOutputs.includes(name)) {
            next[name] = t;
            continue;
          }
          // An int32 output (a model input passed through) stays int32: ids above 2^24 have no
          // float32 twin.
          if (dtype === 'int32' && t.dtype !== 'int32')
            throw new Error(
              `tfjs produced output ${JSON.stringify(name)} as ${t.dtype}, the spec says int32 (a backend bug)`,
            );
          // A copy: the cpu backend may hand back its own storage (or an input's array).
          const values = await t.data();
          const data = dtype === 'int32' ? new Int32Array(values) : new Float32Array(values);
          Object.defineProperty(result, name, {
            value: { dtype, shape: [...t.shape], data },
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return { outputs: result, state: next };
      } catch (e) {
        for (const t of kept) t.dispose();
        throw asRuntimeFailure(e, `tfjs:${ctx.variant}`);
      } finally {
        // An output that is also a state output (a spec returning h_n itself) stays alive.
        for (const t of Object.values(outputs)) if (!kept.has(t)) t.dispose();
      }
    },
    release(handles) {
      for (const t of handles) t.dispose();
    },
    async dispose() {},
  };
}

/** The checks of a run's inputs (InputError; see checkStepInputs), every tensor's shape. */
function inputChecker(spec: ModelSpec, limits: Partial<Limits> | undefined) {
  return (inputs: Record<string, Tensor>, state: Record<string, tf.Tensor>) =>
    checkStepInputs(
      spec,
      inputs,
      Object.fromEntries(Object.entries(state).map(([name, t]) => [name, t.shape])),
      { limits },
    ).shapes;
}

/**
 * A decoder's graph runs on the model's prepared tensors, stored under lowered node ids: every
 * node of `graph` that prepares or reads weights must be the same node (id, op, attributes) in
 * the model's graph `main`. Decoding only adds cache inputs and concats, so a miss is a bug.
 */
function checkShared(graph: LoweredSpec, main: LoweredSpec): void {
  const attrs = ({ input: _, ...rest }: { input: readonly string[] }) => JSON.stringify(rest);
  const byId = new Map(main.nodes.map((node) => [node.id, node]));
  for (const node of graph.nodes) {
    const kernel = kernels[node.op];
    const prepares = typeof kernel === 'object' && 'prepare' in kernel;
    if (!prepares && (opDef(node.op)?.weights?.(node) ?? []).length === 0) continue;
    const twin = byId.get(node.id);
    if (twin === undefined || attrs(twin) !== attrs(node))
      throw new Error(
        `internal: the decoder's node ${JSON.stringify(node.id)} (${node.op}) is not the model's, so it cannot share the model's weights`,
      );
  }
}
