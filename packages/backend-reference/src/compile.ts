// Compiling for the reference means checking and copying the weights to float64; running means
// evaluating spec.nodes in their (topological) order, each value stored under its reference.
import {
  type CompiledModel,
  type CompileOptions,
  checkInputs,
  checkWeights,
  type ModelSpec,
  type OpName,
  type Tensor,
  toWeights,
  type Weights,
} from '@tessera/spec';
import { type Kernel, type KernelContext, kernels } from './kernels/index.js';
import { type F64Tensor, fromTensor, toTensor } from './tensor.js';

export interface RunFloat64Options {
  /** Called with every node output, `id` and then each `id:port`, in evaluation order. Do not mutate. */
  observe?: (ref: string, value: F64Tensor) => void;
  /**
   * Called with each attention's softmax weights [batch, heads, tq, tk]; a transformerEncoderLayer
   * `block0` reports its self-attention as `block0.self_attn`.
   */
  observeAttention?: (nodeId: string, probs: F64Tensor) => void;
}

export interface ReferenceModel extends CompiledModel {
  /** Checks the inputs (InputError), evaluates in float64, returns outputs rounded to float32. */
  run(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** The same evaluation without rounding: outputs by name as float64 tensors. Synchronous. */
  runFloat64(
    inputs: Record<string, Tensor>,
    options?: RunFloat64Options,
  ): Record<string, F64Tensor>;
  dispose(): Promise<void>;
}

/** Checks the weights (WeightError) and builds the model; the arguments are only read. */
export function compileReference(
  spec: ModelSpec,
  weights: Weights | Record<string, Tensor>,
  options: CompileOptions = {},
): ReferenceModel {
  checkWeights(spec, weights);
  // Private copies: later changes to the caller's spec or weights cannot reach this model.
  const graph: ModelSpec = structuredClone(spec);
  const params = new Map<string, F64Tensor>();
  for (const [name, t] of toWeights(weights)) params.set(name, fromTensor(t));
  const limits = options.limits;
  let disposed = false;

  const evaluate = (inputs: Record<string, Tensor>, observe: RunFloat64Options = {}) => {
    if (disposed) throw new Error('this reference model has been disposed');
    const { shapes } = checkInputs(graph, inputs, { limits });
    const values = new Map<string, F64Tensor>();
    for (const name of Object.keys(graph.inputs)) values.set(name, fromTensor(inputs[name]));
    const ctx: KernelContext = {
      weight(nodeId, name) {
        const w = params.get(`${nodeId}.${name}`);
        if (w === undefined)
          throw new Error(`internal: weight ${nodeId}.${name} is not in the manifest`);
        return w;
      },
      optionalWeight: (nodeId, name) => params.get(`${nodeId}.${name}`),
      observeAttention: observe.observeAttention,
    };
    const store = (ref: string, value: F64Tensor) => {
      const want = shapes.get(ref)?.shape;
      if (
        want === undefined ||
        want.length !== value.shape.length ||
        want.some((d, i) => d !== value.shape[i])
      ) {
        throw new Error(
          `internal: ${ref} came out [${value.shape.join(', ')}], shape inference says [${want?.join(', ')}]`,
        );
      }
      values.set(ref, value);
      observe.observe?.(ref, value);
    };
    for (const node of graph.nodes) {
      const ins = node.input.map((ref) => values.get(ref)!);
      const result = (kernels[node.op] as Kernel<OpName>)(node as never, ins, ctx);
      if ('out' in result) {
        store(node.id, result.out);
        for (const [port, value] of Object.entries(result.ports))
          store(`${node.id}:${port}`, value);
      } else store(node.id, result);
    }
    return { values, shapes };
  };

  return {
    runFloat64(inputs, options) {
      const { values } = evaluate(inputs, options);
      return Object.fromEntries(
        Object.entries(graph.outputs).map(([name, ref]) => [name, values.get(ref)!]),
      );
    },
    async run(inputs) {
      const { values, shapes } = evaluate(inputs);
      return Object.fromEntries(
        Object.entries(graph.outputs).map(([name, ref]) => [
          name,
          toTensor(values.get(ref)!, shapes.get(ref)!.dtype),
        ]),
      );
    },
    async dispose() {
      disposed = true;
      params.clear();
    },
  };
}
