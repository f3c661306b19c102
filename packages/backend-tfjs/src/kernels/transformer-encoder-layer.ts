// nn.TransformerEncoderLayer(batch_first=True) runs the spec's own decomposition (layerNorm,
// multiHeadAttention, linear, relu|gelu, add sub-nodes with ids `<id>.<submodule>`) through the
// kernel table, so the maths is defined once. Sub-node weights keep PyTorch's names
// (`<id>.self_attn.in_proj_weight`), and their prepared tensors live under the same prefix.
import type * as tf from '@tensorflow/tfjs';
import { type NodeOf, type NodeSpec, opDef } from '@tessera/spec';
import { prepareNode, runNodes, subReader } from './run.js';
import type { Kernel } from './types.js';
import type { Value } from './value.js';

function decompose(node: NodeOf<'transformerEncoderLayer'>): { nodes: NodeSpec[]; output: string } {
  const { nodes, output } = opDef('transformerEncoderLayer')!.decompose!(node, node.id, node.input);
  return { nodes: nodes as unknown as NodeSpec[], output };
}

/** `block0.self_attn` under `block0` → `self_attn.` */
function prefixOf(sub: NodeSpec, node: NodeOf<'transformerEncoderLayer'>): string {
  return `${sub.id.slice(node.id.length + 1)}.`;
}

export const transformerEncoderLayer: Kernel<'transformerEncoderLayer'> = {
  prepare(node, w) {
    const out: Record<string, tf.Tensor> = {};
    for (const sub of decompose(node).nodes) {
      const prefix = prefixOf(sub, node);
      const prepared = prepareNode(sub, subReader(w, prefix));
      for (const [name, t] of Object.entries(prepared)) out[prefix + name] = t;
    }
    return out;
  },
  apply(node, [x], w) {
    const { nodes, output } = decompose(node);
    const values = new Map<string, Value>([[node.input[0], x]]);
    runNodes(nodes, values, (sub) => subReader(w, prefixOf(sub, node)), [output]);
    return values.get(output)!;
  },
};
