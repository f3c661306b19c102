// The forward pass shared by inference (compile.ts) and training (train/): PyTorch-layout weights
// are converted once by prepareWeights, then forward() runs the nodes in spec order on tf
// tensors. Both are built only from differentiable tf ops and neither disposes anything: callers
// wrap them in tf.tidy (inference) or tf.variableGrads (training).
import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '@tessera/spec';
import { mapReader, prepareNode, runNodes } from './kernels/run.js';
import { Value } from './kernels/value.js';

/**
 * Converts PyTorch-layout weight tensors (`<nodeId>.<state_dict name>`) into what the forward pass
 * uses (transposed linear kernels, HWIO conv filters, re-sliced and folded recurrent gates,
 * folded batch-norm scale/shift), keyed `<nodeId>.<prepared name>`. Gradients flow back to the
 * PyTorch-layout tensors. Weights of nodes whose kernels need no conversion pass through as the
 * same tensor objects.
 */
export function prepareWeights(
  spec: ModelSpec,
  weights: Map<string, tf.Tensor>,
): Map<string, tf.Tensor> {
  const prepared = new Map<string, tf.Tensor>();
  for (const node of spec.nodes) {
    const prefix = `${node.id}.`;
    for (const [name, t] of Object.entries(prepareNode(node, mapReader(weights, prefix)))) {
      prepared.set(prefix + name, t);
    }
  }
  return prepared;
}

/**
 * Model inputs by name → outputs under the spec's output names, in PyTorch layout. Inputs are
 * float32 tensors (int32 for token ids) already checked against the spec (see checkInputs).
 * Differentiable; does not dispose its arguments.
 */
export function forward(
  spec: ModelSpec,
  prepared: Map<string, tf.Tensor>,
  inputs: Record<string, tf.Tensor>,
): Record<string, tf.Tensor> {
  const values = new Map<string, Value>();
  for (const name of Object.keys(spec.inputs)) {
    if (!Object.hasOwn(inputs, name))
      throw new Error(`forward: model input ${JSON.stringify(name)} is missing`);
    values.set(name, new Value(inputs[name]));
  }
  runNodes(
    spec.nodes,
    values,
    (node) => mapReader(prepared, `${node.id}.`),
    Object.values(spec.outputs),
  );
  const outputs: Record<string, tf.Tensor> = {};
  for (const [name, ref] of Object.entries(spec.outputs)) {
    Object.defineProperty(outputs, name, {
      value: values.get(ref)!.logical,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return outputs;
}
