// Fusions across spec nodes, on the built graph: what one node's emitter cannot see alone.
import type { TensorInfo } from '@tessera/spec';
import type { onnx } from 'onnx-proto';
import type { GraphBuilder } from './graph-builder.js';

const MS = 'com.microsoft';

const attr = (n: onnx.INodeProto, name: string) => n.attribute?.find((a) => a.name === name);

const sameShape = (p: TensorInfo, q: TensorInfo) =>
  p.dtype === q.dtype &&
  p.shape.length === q.shape.length &&
  p.shape.every((d, i) => d === q.shape[i]);

/** The fused node for each norm over the last axis that may follow a residual Add. */
const SKIP_OF: Record<string, string> = {
  LayerNormalization: 'SkipLayerNormalization',
  // rmsNorm: ORT's own op below opset 23, the standard one from 23 (kernels/rms-norm.ts).
  SimplifiedLayerNormalization: 'SkipSimplifiedLayerNormalization',
  RMSNormalization: 'SkipSimplifiedLayerNormalization',
};

/** A LayerNormalization (or RMS norm) of `x` over its last axis only, giving only its normalised output. */
function normalisesLastAxis(n: onnx.INodeProto, x: string, rank: number): boolean {
  if (!Object.hasOwn(SKIP_OF, n.opType ?? '') || (n.domain ?? '') !== '' || n.input?.[0] !== x)
    return false;
  const axis = Number(attr(n, 'axis')?.i ?? -1);
  return (axis === -1 || axis === rank - 1) && n.output?.filter((o) => o !== '').length === 1;
}

/**
 * Every s = Add(a, b) of two float32 inputs of one shape [batch, time, features] (the residual
 * sums of a transformer: an Add inside an emitter, like linear's bias, reads values the compiler
 * has no shape for, and is left alone) that a LayerNormalization over the last axis reads becomes,
 * with that LayerNormalization, one com.microsoft SkipLayerNormalization(a, b, γ, β) with the
 * LayerNormalization's epsilon; an RMS norm (SimplifiedLayerNormalization or RMSNormalization, the
 * rmsNorm of a LLaMA block) the same way becomes SkipSimplifiedLayerNormalization(a, b, γ). Its
 * first output is the normalised value; when anything else reads s (the residual stream of a
 * pre-norm layer, the next residual Add, a graph output), its 4th output is s itself, under s's
 * name (the 4th on both ops: output, mean, inv_std_var, input_skip_bias_sum); so is a sum that is
 * one of `graphOutputs`. ORT does not fuse
 * these itself when s has several readers. The fused node takes the Add's place, where both its
 * inputs are already computed (γ and β are initializers); only one norm per sum is fused.
 * `shapeOf` gives the dtype and shape of the values the spec's nodes produced, by ONNX name.
 */
export function fuseSkipLayerNorms(
  b: GraphBuilder,
  shapeOf: (name: string) => TensorInfo | undefined,
  graphOutputs: ReadonlySet<string> = new Set(),
): number {
  let fused = 0;
  for (let i = 0; i < b.nodes.length; i++) {
    const add = b.nodes[i];
    if (add.opType !== 'Add' || (add.domain ?? '') !== '' || add.input?.length !== 2) continue;
    const [p, q] = add.input.map(shapeOf);
    if (p === undefined || q === undefined || p.dtype !== 'float32' || !sameShape(p, q)) continue;
    // SkipLayerNormalization takes [batch, sequence, hidden] inputs.
    if (p.shape.length !== 3) continue;
    const sum = add.output![0];
    const readers = b.nodes.filter((n) => n.input?.includes(sum));
    const ln = readers.find((n) => normalisesLastAxis(n, sum, 3));
    if (ln === undefined) continue;
    b.nodes[i] = {
      opType: SKIP_OF[ln.opType!],
      domain: MS,
      name: b.name(`${ln.name}_skip`),
      input: [add.input[0], add.input[1], ...ln.input!.slice(1)],
      output:
        readers.length > 1 || graphOutputs.has(sum)
          ? [ln.output![0], '', '', sum]
          : [ln.output![0]],
      // The norm's epsilon attribute, as it is (the fused ops' has that name).
      attribute: ln.attribute!.filter((a) => a.name === 'epsilon'),
    };
    b.nodes.splice(b.nodes.indexOf(ln), 1);
    if (!b.opsetImports.has(MS)) b.opsetImports.set(MS, 1);
    fused++;
  }
  return fused;
}
