// Building blocks shared by the op definitions: zod primitives for attributes, the shape-rule
// error, and the OpDef contract every file under ops/ fulfils.
import { z } from 'zod';
import type { Dim } from '../dims.js';
import type { DType } from '../tensor.js';

export const MAX_DIM = 2 ** 31 - 1;

export const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must match [A-Za-z_][A-Za-z0-9_]* (letters, digits, underscore)',
  )
  .max(128, 'is longer than 128 characters');

export const reference = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_]*)?$/,
    'must be a model input name, a node id, or `id:port`',
  )
  .max(257);

export const positiveInt = z.number().int().min(1).max(MAX_DIM);
export const nonNegativeInt = z.number().int().min(0).max(MAX_DIM);
export const anyInt = z.number().int().min(-MAX_DIM).max(MAX_DIM);
export const epsilon = z.number().gt(0).lt(1);
export const probability = z.number().min(0).max(1);

/** An int or a tuple of `n` ints, as PyTorch's `_pair` accepts. */
export function intOrTuple(n: number, element: z.ZodNumber) {
  return z.union([element, z.array(element).length(n)]);
}

/** One number per spatial dim: `value` repeated `n` times, or the list as given. */
export function tuple(value: number | readonly number[], n: number): number[] {
  return typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
}

/** The fields every node has. `input` left out means the previous node. */
export const nodeBase = {
  id: identifier.describe(
    "the node's name, unique in the spec: other nodes and `outputs` read its output by it, and its weights live under it unless `weightPrefix` is set",
  ),
  input: z
    .union([reference, z.array(reference).min(1).max(64)])
    .optional()
    .describe(
      "what the node reads: a model input, a node id or `id:port`, or a list of them for an op of several inputs; left out, the previous node's output (the model's only input for the first node)",
    ),
};

/**
 * `lengths` (and the decoder layer's `memoryLengths`), §6.3; ops say at the use site what the
 * padding changes for them.
 */
export const lengthsRef = identifier
  .optional()
  .describe(
    "the name of an int32 [batch] model input holding each sequence's true length; steps at t ≥ length are padding (PyTorch: pack_padded_sequence, key_padding_mask)",
  );

/** The attributes that name a lengths input, in the order lowering appends them to a kernel's inputs. */
export const LENGTHS_ATTRS = ['lengths', 'memoryLengths'] as const;
/** `lengths` or `memoryLengths`. */
export type LengthsAttr = (typeof LENGTHS_ATTRS)[number];

/** `weightPrefix`, on every op with weights. */
export const weightPrefix = z
  .string()
  .regex(
    /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/,
    'must be a dotted module path of letters, digits and underscores (model.layers.0.mlp)',
  )
  .max(256, 'is longer than 256 characters')
  .optional()
  .describe(
    "the dotted PyTorch module path the node's weights live under in the state_dict (`model.layers.3.self_attn`); the node id when left out",
  );

/** The prefix of a node's weights: its `weightPrefix`, or its id. */
export function prefixOf(node: { id: string; weightPrefix?: string }): string {
  return node.weightPrefix ?? node.id;
}

/** A tensor's dtype and shape, its dims symbolic where not bound. */
export interface TensorInfo {
  dtype: DType;
  shape: Dim[];
}

/** What an op's shape rule gives: its output's dtype and shape, and each extra output's (`h_n`). */
export interface OpOutputs {
  out: TensorInfo;
  /** Extra outputs reached as `id:port`. */
  ports?: Record<string, TensorInfo>;
}

/** How PyTorch initialises a weight: uniform in ±bound, normal with std, or a constant. */
export type InitRule =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'constant'; value: number };

/** One weight an op's node declares: its name under the node's prefix, shape and initialisation. */
export interface WeightDecl {
  /** Name under the node's weight prefix, e.g. `weight_ih_l0` or `self_attn.in_proj_weight`. */
  name: string;
  shape: number[];
  init: InitRule;
  /**
   * A buffer, not a parameter (batchNorm's running statistics): loaded and saved like a weight,
   * never changed by a gradient step.
   */
  buffer?: true;
}

/** The random draws a fuzzing rule may make (fast-check's generators behind them). */
export interface FuzzDraw {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One of `items`. */
  pick<T>(items: readonly T[]): T;
  /** true or false. */
  bool(): boolean;
}

/**
 * What an op's fuzzing rule draws for a node reading `x`: the attributes, and for ops of two
 * inputs the index of a partner in `pool` (placed before `x` when `partnerFirst`). `port` asks
 * the generator to also output `id:port`. The output shape is not part of the answer: the
 * generator parses the node with the op's schema and runs the op's own `infer` (a ShapeIssue
 * there, or a failed parse, only makes it draw again).
 */
export interface Fuzzed {
  attrs: Record<string, unknown>;
  partner?: number;
  partnerFirst?: boolean;
  port?: string;
}

/** An op's example for the op tests: a node on one input, with the shapes PyTorch gives. */
export interface OpExample {
  input: { dtype?: DType; shape: Dim[] };
  /** Further inputs, for ops of two or more (named `x1`, `x2`, ...). */
  extraInputs?: { dtype?: DType; shape: Dim[] }[];
  /** The node's attributes (without id and input). */
  node: Record<string, unknown>;
  /** The output shape, worked out by hand from the torch documentation. */
  shape: Dim[];
  /** Every weight's full name (the node is `n`) and shape, when the op has weights. */
  weights?: Record<string, number[]>;
  ports?: Record<string, Dim[]>;
}

/** A problem found by a shape rule; `attr` names the attribute to blame, if any. */
export class ShapeIssue extends Error {
  constructor(
    message: string,
    readonly attr?: string,
  ) {
    super(message);
  }
}

export function fail(message: string, attr?: string): never {
  throw new ShapeIssue(message, attr);
}

/**
 * A node as a decomposition writes it: explicit inputs, attributes that its op's schema
 * completes (defaults may be left out). `weights` maps the sub-node's own parameter names to the
 * full names of the composite's weights when they differ from `<prefix>.<param>` (the attention's
 * packed `in_proj_weight` read as a linear's `weight`).
 */
export interface DecomposedNode {
  id: string;
  op: string;
  input: string[];
  weights?: Record<string, string>;
  [attr: string]: unknown;
}

/** A composite's nodes in simpler ops, and which of their references hold its output and ports. */
export interface Decomposition {
  nodes: DecomposedNode[];
  output: string;
  /** The reference holding each of the composite's ports (`key` → `<id>.k_all`). */
  ports?: Record<string, string>;
}

/**
 * How a node runs one step at a time in incremental decoding (§6.5), where every value is
 * [batch, time, ...] with time at dim 1 and a step feeds the next positions only:
 * - `{}`: position t of the output reads position t of the inputs only (linear, norms, activations);
 * - `position`: the node also reads the decoder's position, an int32 [1] next input (the first
 *   position of the step; learned and sinusoidal positions, rope);
 * - `state`: the node carries these ports from step to step: in the step spec each is fed back as
 *   a further input (after the position), and the node takes `stepAttrs` (attention's
 *   `cache: true`, which also makes the prefill return the ports). A port's time dim, if it has
 *   one, grows with the positions seen (a key cache); one without is a fixed-size state (h_n).
 */
export interface DecodeRule {
  position?: boolean;
  state?: readonly string[];
  stepAttrs?: Record<string, unknown>;
  /**
   * A node that reads a fixed memory (cross-attention: an encoder's output that does not move
   * with the decoded time): `inputs` are the memory's input indices, read by the prefill only;
   * `ports` (among `state`) are what the prefill makes of it, fed unchanged to every step; in the
   * step the node drops those inputs and takes `stepAttrs` too.
   */
  memory?: {
    inputs: readonly number[];
    ports: readonly string[];
    stepAttrs?: Record<string, unknown>;
  };
}

/** Output shapes that are fully bound, for FLOP counting. */
export interface FlopShapes {
  inputs: number[][];
  out: number[];
}

/**
 * One op's definition, in its file under `src/ops/`: its zod schema, arity, shape rule, weights,
 * FLOPs and, for a composite, its decomposition.
 */
export interface OpDef<S extends z.ZodObject = z.ZodObject, A = z.output<S>> {
  op: string;
  schema: S;
  /** Minimum and maximum number of inputs. */
  arity: readonly [number, number];
  /** Names of extra outputs (`h_n`, `c_n`). */
  ports?: (attrs: A) => string[];
  /** The dtype each input must have (one for all, or by input index); float32 when left out. */
  inputDtype?: DType | readonly DType[];
  /**
   * The shape rule: the output's (and extra outputs') dtype and shape for these inputs; throws a
   * ShapeIssue.
   */
  infer(attrs: A, inputs: TensorInfo[]): OpOutputs;
  /** The weights a node of these attributes has, with PyTorch's state_dict names and initialisation. */
  weights?(attrs: A): WeightDecl[];
  /**
   * Names PyTorch's state_dict holds under the node but inference never reads (batchNorm's
   * `num_batches_tracked`): accepted by checkWeights when given, never required.
   */
  ignoredWeights?(attrs: A): string[];
  /**
   * For an int32 input: the exclusive upper bound of the values it may hold (embedding: its
   * table size), so that random inputs draw valid ids. checkValues does the checking.
   */
  idBound?(attrs: A, input: number): number | undefined;
  /**
   * Checks the values of an input tensor before any kernel runs (embedding: ids in range);
   * returns the problem, or undefined. `input` is the node's input index.
   */
  checkValues?(attrs: A, input: number, data: Float32Array | Int32Array): string | undefined;
  /**
   * Floating-point operations of one run at bound shapes (a multiply-add is 2). Left out on a
   * composite: its count is its decomposition's.
   */
  flops?(attrs: A, shapes: FlopShapes): number;
  /**
   * Draws attributes for a node reading `x`, or undefined when the op cannot read it. `x` and
   * every entry of `pool` (the values drawn so far, `x` among them) are full shapes whose dim 0
   * is the batch, bound to a number (the spec keeps it symbolic). A rule leaves dim 0 alone: the
   * generator keeps only outputs whose dim 0 is still the batch. Left out where random graphs
   * cannot feed the op (embedding reads int ids; causalMask's −∞ needs a softmax after it).
   */
  fuzz?(d: FuzzDraw, x: number[], pool: number[][]): Fuzzed | undefined;
  /** Examples for the op tests (shapes and weight layouts worked out by hand); at least one. */
  examples: readonly OpExample[];
  /** A graph of simpler ops computing the same thing; weights keep their names. */
  decompose?(attrs: A, id: string, input: string[]): Decomposition;
  /**
   * How the node decodes one step at a time (see DecodeRule), or why it cannot (a sentence about
   * the node, e.g. "reads every time step in both directions"). Left out: the op mixes time
   * steps. A composite without a rule is looked at through its decomposition.
   */
  decode?(attrs: A, inputs: TensorInfo[]): DecodeRule | string;
  /**
   * For an op taking `lengths` (and `memoryLengths`): for each such attribute the node sets, the
   * index of the input whose time it counts, given the number of inputs; each length must lie in
   * 1..that time. The time is the input's dim 1, or the dim given as `[input, dim]` (a decoder
   * step's cached keys [batch, heads, time, headDim]). A node kept as a kernel (not decomposed)
   * reads them as its last inputs, appended by lowering in LENGTHS_ATTRS order (see
   * splitLengths).
   */
  lengthsOf?(
    attrs: A,
    inputs: number,
  ): Partial<Record<LengthsAttr, number | readonly [input: number, dim: number]>>;
}

/** The DecodeRule of ops whose output position t reads input position t only. */
export const pointwise = (): DecodeRule => ({});

/**
 * Pointwise when the op leaves the batch and time dims (0 and 1) alone: `dims` are the dims it
 * works across (possibly negative), `what` says what it does there ("normalises").
 */
export function pointwiseOver(
  dims: readonly number[],
  rank: number,
  what: string,
): DecodeRule | string {
  const d = dims.map((k) => (k < 0 ? k + rank : k)).find((k) => k < 2);
  return d === undefined
    ? pointwise()
    : `${what} over dim ${d}, and decoding feeds [batch, time, ...] a few positions at a time`;
}

/** Checks a position input: int32 [1], the first position of the values beside it. */
export function requirePosition(info: TensorInfo | undefined, what: string): void {
  if (info === undefined) return;
  if (info.shape.length !== 1 || (typeof info.shape[0] === 'number' && info.shape[0] !== 1))
    fail(`reads its ${what} position as an int32 [1] input, got [${info.shape.join(', ')}]`);
}

/** The dtype input `index` of an op must have. */
export function inputDtypeOf(def: Pick<OpDef, 'inputDtype'>, index: number): DType {
  const d = def.inputDtype;
  return typeof d === 'string' ? d : (d?.[index] ?? 'float32');
}

export function defineOp<S extends z.ZodObject>(def: OpDef<S>): OpDef<S> {
  return def;
}

export function float(shape: Dim[]): TensorInfo {
  return { dtype: 'float32', shape };
}

/** Normalises a possibly negative axis against a rank, failing with the attribute's name. */
export function axis(dim: number, rank: number, attr = 'dim'): number {
  const a = dim < 0 ? dim + rank : dim;
  if (a < 0 || a >= rank) fail(`${dim} is out of range for an input of rank ${rank}`, attr);
  return a;
}

export function requireRank(info: TensorInfo, ranks: number[], what = 'input'): void {
  if (!ranks.includes(info.shape.length)) {
    fail(
      `expects a${ranks.length > 1 ? 'n' : ''} ${what} of rank ${ranks.join(' or ')}, got rank ${info.shape.length} [${info.shape.join(', ')}]`,
    );
  }
}

/** Checks a known feature dimension against the attribute that declares it. */
export function requireDim(actual: Dim, expected: number, attr: string, what: string): void {
  if (typeof actual === 'number' && actual !== expected) {
    fail(`is ${expected} but the incoming ${what} is ${actual}`, attr);
  }
}

export function uniform(bound: number): InitRule {
  return { kind: 'uniform', bound };
}
export const ones: InitRule = { kind: 'constant', value: 1 };
export const zeros: InitRule = { kind: 'constant', value: 0 };

/** The element count of a bound shape (for FLOP counts). */
export function count(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** The divisors of n, ascending (for fuzzing rules: heads, groups, factors). */
export function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);
}
