// Compiling for the reference means checking and copying the weights to float64 and lowering the
// spec: every composite is replaced by its decomposition (the reference has no composite maths of
// its own). Running means evaluating the lowered nodes in their (topological) order, each value
// stored under its reference.
import {
  ATTENTION_WEIGHTS,
  type CompiledModel,
  asRuntimeFailure,
  type CompileOptions,
  checkStepInputs,
  checkWeights,
  createDecoder,
  inferShapes,
  lowerSpec,
  type ModelSpec,
  type OpName,
  type StepModel,
  type Tensor,
  type TensorInfo,
  toWeights,
  type Weights,
  weightName,
} from '@tessera/spec';
import { type Kernel, type KernelContext, kernels } from './kernels/index.js';
import { type F64Tensor, fromTensor, toTensor } from './tensor.js';

/** Options of `ReferenceModel.runFloat64`: callbacks that see the values computed on the way. */
export interface RunFloat64Options {
  /**
   * Called with every output of the spec's own nodes, `id` and then each `id:port`, in evaluation
   * order; a composite's value (its decomposition's output) comes under its own id once its
   * decomposition has run. Sub-nodes of decompositions (`<id>.<sub>`) are not reported: their names
   * belong to the decomposition and may change. Do not mutate.
   */
  observe?: (ref: string, value: F64Tensor) => void;
  /**
   * Called with each attention's softmax weights [batch, heads, tq, tk] (its decomposition's
   * `<id>.attn_weights` sub-node) under the attention's id; a transformerEncoderLayer `block0`
   * reports its self-attention as `block0.self_attn`.
   */
  observeAttention?: (nodeId: string, probs: F64Tensor) => void;
}

/** A model the reference compiled: `run` as every backend's, and `runFloat64` without rounding. */
export interface ReferenceModel extends CompiledModel {
  /** Checks the inputs (InputError), evaluates in float64, returns outputs rounded to float32. */
  run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** The same evaluation without rounding: outputs by name as float64 tensors. Synchronous. */
  runFloat64(
    inputs: Record<string, Tensor>,
    options?: RunFloat64Options,
  ): Record<string, F64Tensor>;
  /** Marks the model disposed (it holds plain arrays only): it cannot run afterwards. */
  dispose(): Promise<void>;
}

const attentionSuffix = `.${ATTENTION_WEIGHTS}`;

/** Checks the weights (WeightError) and builds the model; the arguments are only read. */
export function compileReference(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  options: CompileOptions = {},
): ReferenceModel {
  checkWeights(spec, weights);
  // Private copies: later changes to the caller's spec or weights cannot reach this model.
  const params = new Map<string, F64Tensor>();
  for (const [name, t] of toWeights(weights)) params.set(name, fromTensor(t));
  return build(structuredClone(spec), params, options, true);
}

/** The model of `graph` over float64 weights `params` (shared with its decoder's models). */
function build(
  graph: ModelSpec,
  params: Map<string, F64Tensor>,
  options: CompileOptions,
  ownsParams: boolean,
): ReferenceModel & { runState: StepModel<F64Tensor>['run'] } {
  const lowered = lowerSpec(graph, kernels);
  const ctx: KernelContext = {
    weight(node, param) {
      const w = params.get(weightName(node, param));
      if (w === undefined)
        throw new Error(`internal: weight ${weightName(node, param)} is not in the manifest`);
      return w;
    },
    optionalWeight: (node, param) => params.get(weightName(node, param)),
  };
  const limits = options.limits;
  let disposed = false;

  /** `f64` are inputs given in float64 (a decoder's state), the others are checked Tensors. */
  const evaluate = (
    inputs: Record<string, Tensor>,
    observe: RunFloat64Options = {},
    f64: ReadonlyMap<string, F64Tensor> = new Map(),
  ) => {
    if (disposed) throw new Error('this reference model has been disposed');
    // The inputs are checked against the spec as written (errors name its nodes); every lowered
    // value's shape, sub-nodes included, is then checked against inference on the lowered spec.
    const { bindings, shapes } = checkStepInputs(
      graph,
      inputs,
      Object.fromEntries([...f64].map(([name, t]) => [name, t.shape])),
      { limits },
    );
    const loweredShapes = inferShapes(lowered, bindings);
    const values = new Map<string, F64Tensor>(f64);
    for (const name of Object.keys(graph.inputs))
      if (!f64.has(name)) values.set(name, fromTensor(inputs[name]));
    const check = (ref: string, value: F64Tensor, want: TensorInfo | undefined) => {
      const shape = want?.shape;
      if (
        shape === undefined ||
        shape.length !== value.shape.length ||
        shape.some((d, i) => d !== value.shape[i])
      ) {
        throw new Error(
          `internal: ${ref} came out [${value.shape.join(', ')}], shape inference says [${shape?.join(', ')}]`,
        );
      }
    };
    const store = (ref: string, value: F64Tensor, reported: boolean) => {
      check(ref, value, loweredShapes.get(ref));
      values.set(ref, value);
      if (reported) observe.observe?.(ref, value);
    };
    lowered.nodes.forEach((node, i) => {
      const kernel = kernels[node.op];
      if (typeof kernel !== 'function') throw new Error(`internal: ${node.op} was not lowered`);
      const ins = node.input.map((ref) => values.get(ref)!);
      let result: ReturnType<Kernel<OpName>>;
      try {
        result = (kernel as Kernel<OpName>)(node as never, ins, ctx);
      } catch (e) {
        // A typed array too large for this engine (limits raised by the caller), named by node.
        throw asRuntimeFailure(e, 'reference', node.origin ?? node.id);
      }
      const own = node.origin === undefined; // a node of the spec itself, not a sub-node
      if ('out' in result) {
        store(node.id, result.out, own);
        for (const [port, value] of Object.entries(result.ports))
          store(`${node.id}:${port}`, value, own);
      } else store(node.id, result, own);
      // Only an attention's decomposition names a sub-node `<attention id>.attn_weights`.
      if (observe.observeAttention !== undefined && node.id.endsWith(attentionSuffix))
        observe.observeAttention(node.id.slice(0, -attentionSuffix.length), values.get(node.id)!);
      // The last sub-node of a composite: its value is complete, report it under the composite's id.
      const origin = node.origin;
      if (origin !== undefined && lowered.nodes[i + 1]?.origin !== origin) {
        const value = values.get(lowered.expanded[origin])!;
        check(origin, value, shapes.get(origin));
        observe.observe?.(origin, value);
      }
    });
    return { values, shapes };
  };

  return {
    runFloat64(inputs, options) {
      const { values } = evaluate(inputs, options);
      return Object.fromEntries(
        Object.entries(lowered.outputs).map(([name, ref]) => [name, values.get(ref)!]),
      );
    },
    async run(inputs) {
      const { values, shapes } = evaluate(inputs);
      return Object.fromEntries(
        Object.entries(graph.outputs).map(([name, ref]) => [
          name,
          toTensor(values.get(lowered.outputs[name])!, shapes.get(ref)!.dtype),
        ]),
      );
    },
    // The decoder's steps keep their state (caches, h and c) in float64 between steps.
    async runState(inputs, state, stateOutputs) {
      const { values, shapes } = evaluate(inputs, {}, new Map(Object.entries(state)));
      const outputs: Record<string, Tensor> = {};
      const next: Record<string, F64Tensor> = {};
      for (const [name, ref] of Object.entries(graph.outputs)) {
        const value = values.get(lowered.outputs[name])!;
        if (stateOutputs.includes(name)) next[name] = value;
        else outputs[name] = toTensor(value, shapes.get(ref)!.dtype);
      }
      return { outputs, state: next };
    },
    async decoder(decoderOptions) {
      if (disposed) throw new Error('this reference model has been disposed');
      return createDecoder(
        graph,
        async (s) => {
          const model = build(s, params, options, false);
          return { run: model.runState, release() {}, dispose: () => model.dispose() };
        },
        { limits: options.limits, ...decoderOptions },
      );
    },
    async dispose() {
      disposed = true;
      if (ownsParams) params.clear();
    },
  };
}
