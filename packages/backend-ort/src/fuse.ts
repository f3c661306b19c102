// Fusions across spec nodes, on the built graph: what one node's emitter cannot see alone.
import type { onnx } from 'onnx-proto';
import type { GraphBuilder } from './graph-builder.js';

const MS = 'com.microsoft';

const attr = (n: onnx.INodeProto, name: string) => n.attribute?.find((a) => a.name === name);

/**
 * Each marked residual sum s = Add(a, b) (`b.residualSums`, inputs of one shape) that a
 * LayerNormalization over the last axis reads becomes, with that LayerNormalization, one
 * com.microsoft SkipLayerNormalization(a, b, γ, β) whose outputs are the normalised value and
 * (4th output) s itself, for s's other readers. ORT does not fuse these itself when s has several
 * readers, as a pre-norm residual stream always does. The fused node takes the Add's place, where
 * both its inputs are already computed; only one LayerNormalization per sum is fused.
 */
export function fuseSkipLayerNorms(b: GraphBuilder): number {
  let fused = 0;
  for (const sum of b.residualSums) {
    const addIndex = b.nodes.findIndex((n) => n.opType === 'Add' && n.output?.[0] === sum);
    const lnIndex = b.nodes.findIndex(
      (n) =>
        n.opType === 'LayerNormalization' &&
        (n.domain ?? '') === '' &&
        n.input?.[0] === sum &&
        Number(attr(n, 'axis')?.i ?? -1) === -1,
    );
    if (addIndex < 0 || lnIndex < 0) continue;
    const add = b.nodes[addIndex];
    const ln = b.nodes[lnIndex];
    b.nodes[addIndex] = {
      opType: 'SkipLayerNormalization',
      domain: MS,
      name: b.name(`${ln.name}_skip`),
      input: [add.input![0], add.input![1], ...ln.input!.slice(1)],
      output: [ln.output![0], '', '', sum],
      // LayerNormalization's epsilon attribute, as it is (SkipLayerNormalization's has that name).
      attribute: ln.attribute!.filter((a) => a.name === 'epsilon'),
    };
    b.nodes.splice(lnIndex, 1);
    if (!b.opsetImports.has(MS)) b.opsetImports.set(MS, 1);
    fused++;
  }
  b.residualSums.clear();
  return fused;
}
