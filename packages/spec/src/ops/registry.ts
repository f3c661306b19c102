// Every op, listed explicitly twice: once in the schema union (which defines OpName) and once in
// the registry, which `satisfies` a map over OpName, so a missing or extra entry in either is a
// compile error (registry.test-d.ts proves it). A backend's kernel table is typed the same way.
import { type ZodObject, z } from 'zod';
import { add } from './add.js';
import { attention } from './attention.js';
import { avgPool1d } from './avg-pool1d.js';
import { avgPool2d } from './avg-pool2d.js';
import { batchNorm } from './batch-norm.js';
import { causalMask } from './causal-mask.js';
import type { OpDef } from './common.js';
import { concat } from './concat.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { dropout } from './dropout.js';
import { embedding } from './embedding.js';
import { flatten } from './flatten.js';
import { gatedMlp } from './gated-mlp.js';
import { gelu } from './gelu.js';
import { globalAvgPool } from './global-avg-pool.js';
import { gru } from './gru.js';
import { layerNorm } from './layer-norm.js';
import { lengthMask } from './length-mask.js';
import { linear } from './linear.js';
import { logSoftmax } from './log-softmax.js';
import { lstm } from './lstm.js';
import { matmul } from './matmul.js';
import { maxPool1d } from './max-pool1d.js';
import { maxPool2d } from './max-pool2d.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { multiHeadAttention } from './multi-head-attention.js';
import { permute } from './permute.js';
import { positionalEmbedding } from './positional-embedding.js';
import { relu } from './relu.js';
import { repeatInterleave } from './repeat-interleave.js';
import { reshape } from './reshape.js';
import { rmsNorm } from './rms-norm.js';
import { rnn } from './rnn.js';
import { rope } from './rope.js';
import { scale } from './scale.js';
import { select } from './select.js';
import { sigmoid } from './sigmoid.js';
import { silu } from './silu.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import { transformerDecoderLayer } from './transformer-decoder-layer.js';
import { transformerEncoderLayer } from './transformer-encoder-layer.js';
import { unflatten } from './unflatten.js';

export const nodeSchema = z.discriminatedUnion('op', [
  linear.schema,
  embedding.schema,
  positionalEmbedding.schema,
  relu.schema,
  gelu.schema,
  tanh.schema,
  sigmoid.schema,
  silu.schema,
  softmax.schema,
  logSoftmax.schema,
  dropout.schema,
  layerNorm.schema,
  batchNorm.schema,
  rmsNorm.schema,
  rnn.schema,
  lstm.schema,
  gru.schema,
  conv1d.schema,
  conv2d.schema,
  maxPool1d.schema,
  maxPool2d.schema,
  avgPool1d.schema,
  avgPool2d.schema,
  globalAvgPool.schema,
  flatten.schema,
  reshape.schema,
  permute.schema,
  select.schema,
  mean.schema,
  add.schema,
  mul.schema,
  concat.schema,
  matmul.schema,
  slice.schema,
  unflatten.schema,
  scale.schema,
  causalMask.schema,
  lengthMask.schema,
  rope.schema,
  repeatInterleave.schema,
  multiHeadAttention.schema,
  transformerEncoderLayer.schema,
  transformerDecoderLayer.schema,
  attention.schema,
  gatedMlp.schema,
]);

/** A node as written by a person (`input` optional, defaults not yet filled). */
export type NodeInput = z.input<typeof nodeSchema>;
type ParsedNode = z.output<typeof nodeSchema>;
/** A node after parseSpec: defaults filled and `input` always an explicit list of references. */
export type NodeSpec = ParsedNode extends infer N
  ? N extends unknown
    ? Omit<N, 'input'> & { input: string[] }
    : never
  : never;
/** The name of an op of `tessera.model/v1`: a node's `op`. */
export type OpName = NodeSpec['op'];
/** The attributes of one op's nodes. */
export type NodeOf<O extends OpName> = Extract<NodeSpec, { op: O }>;

/** Every op's definition by name; the one list of the format's ops. */
export const opRegistry = {
  linear,
  embedding,
  positionalEmbedding,
  relu,
  gelu,
  tanh,
  sigmoid,
  silu,
  softmax,
  logSoftmax,
  dropout,
  layerNorm,
  batchNorm,
  rmsNorm,
  rnn,
  lstm,
  gru,
  conv1d,
  conv2d,
  maxPool1d,
  maxPool2d,
  avgPool1d,
  avgPool2d,
  globalAvgPool,
  flatten,
  reshape,
  permute,
  select,
  mean,
  add,
  mul,
  concat,
  matmul,
  slice,
  unflatten,
  scale,
  causalMask,
  lengthMask,
  rope,
  repeatInterleave,
  multiHeadAttention,
  transformerEncoderLayer,
  transformerDecoderLayer,
  attention,
  gatedMlp,
} satisfies { [O in OpName]: OpDef<ZodObject, never> };

/** The composites: the ops with a decomposition (a kernel table may answer 'decompose'). */
export const compositeOps = [
  'multiHeadAttention',
  'transformerEncoderLayer',
  'transformerDecoderLayer',
  'attention',
  'gatedMlp',
] as const satisfies readonly OpName[];
/** An op defined by a decomposition into simpler ops (a backend may run it fused). */
export type CompositeOp = (typeof compositeOps)[number];

/** Every op's name, in the registry's order. */
export const opNames = Object.keys(opRegistry) as OpName[];

/** An op's definition, its attributes typed loosely (for code that walks any node). */
export function opDef(op: string): OpDef<ZodObject, NodeSpec> | undefined {
  return Object.hasOwn(opRegistry, op)
    ? (opRegistry[op as OpName] as unknown as OpDef<ZodObject, NodeSpec>)
    : undefined;
}
