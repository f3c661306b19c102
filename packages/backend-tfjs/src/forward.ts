// The forward pass shared by inference (compile.ts) and training (train/): the spec is lowered
// once (interpret.ts's lower), PyTorch-layout weights are converted once by prepareGraph, then
// runGraph runs the lowered nodes in order on tf tensors. Both are built only from
// differentiable tf ops and neither disposes anything: callers wrap them in tf.tidy (inference)
// or tf.variableGrads (training). prepareWeights and forward are the same on an unlowered spec.
import type * as tf from '@tensorflow/tfjs';
import type { LoweredSpec, ModelSpec } from '@tessera/spec';
import { lower, mapReader, paramReader, prepareNode, runNodes } from './interpret.js';
import { Value } from './kernels/value.js';

/**
 * Converts PyTorch-layout weight tensors (the spec's weight names, `<weight prefix>.<state_dict name>`)
 * into what the forward pass uses (transposed linear kernels, HWIO conv filters, re-sliced and
 * folded recurrent gates, folded batch-norm scale/shift), keyed `<loweredNodeId>.<prepared name>`.
 * Gradients flow back to the PyTorch-layout tensors. Weights of nodes whose kernels need no
 * conversion pass through as the same tensor objects.
 */
export function prepareWeights(
  spec: ModelSpec,
  weights: Map<string, tf.Tensor>,
): Map<string, tf.Tensor> {
  return prepareGraph(lower(spec), weights);
}

/**
 * Model inputs by name → outputs under the spec's output names, in PyTorch layout. Inputs are
 * float32 tensors (int32 for token ids) already checked against the spec (see checkInputs);
 * `prepared` is what prepareWeights returned for the same spec. Differentiable; does not dispose
 * its arguments.
 */
export function forward(
  spec: ModelSpec,
  prepared: Map<string, tf.Tensor>,
  inputs: Record<string, tf.Tensor>,
): Record<string, tf.Tensor> {
  return runGraph(lower(spec), prepared, inputs);
}

/** prepareWeights on a spec already lowered by interpret.ts's `lower`. */
export function prepareGraph(
  graph: LoweredSpec,
  weights: Map<string, tf.Tensor>,
): Map<string, tf.Tensor> {
  const prepared = new Map<string, tf.Tensor>();
  for (const node of graph.nodes) {
    // Parameters are read under their full names (weightName), which a lowered sub-node may
    // borrow from its composite (`<id>.in_proj` reads `<id>.in_proj_weight`).
    for (const [name, t] of Object.entries(prepareNode(node, paramReader(weights, node)))) {
      prepared.set(`${node.id}.${name}`, t);
    }
  }
  return prepared;
}

/** forward on a spec already lowered by interpret.ts's `lower`. */
export function runGraph(
  graph: LoweredSpec,
  prepared: Map<string, tf.Tensor>,
  inputs: Record<string, tf.Tensor>,
): Record<string, tf.Tensor> {
  const values = new Map<string, Value>();
  for (const name of Object.keys(graph.inputs)) {
    if (!Object.hasOwn(inputs, name))
      throw new Error(`forward: model input ${JSON.stringify(name)} is missing`);
    values.set(name, new Value(inputs[name]));
  }
  runNodes(
    graph.nodes,
    values,
    (node) => mapReader(prepared, `${node.id}.`),
    Object.values(graph.outputs),
  );
  const outputs: Record<string, tf.Tensor> = {};
  for (const [name, ref] of Object.entries(graph.outputs)) {
    Object.defineProperty(outputs, name, {
      value: values.get(ref)!.logical,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return outputs;
}
