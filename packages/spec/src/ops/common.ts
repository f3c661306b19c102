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

export function tuple(value: number | readonly number[], n: number): number[] {
  return typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
}

/** The fields every node has. `input` left out means the previous node. */
export const nodeBase = {
  id: identifier,
  input: z.union([reference, z.array(reference).min(1).max(64)]).optional(),
};

export interface TensorInfo {
  dtype: DType;
  shape: Dim[];
}

export interface OpOutputs {
  out: TensorInfo;
  /** Extra outputs reached as `id:port`. */
  ports?: Record<string, TensorInfo>;
}

export type InitRule =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'constant'; value: number };

export interface WeightDecl {
  /** Name under the node id, e.g. `weight_ih_l0` or `self_attn.in_proj_weight`. */
  name: string;
  shape: number[];
  init: InitRule;
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

/** A node as a decomposition produces it: already normalised (explicit inputs). */
export interface DecomposedNode {
  id: string;
  op: string;
  input: string[];
  [attr: string]: unknown;
}

export interface OpDef<S extends z.ZodObject = z.ZodObject, A = z.output<S>> {
  op: string;
  schema: S;
  /** Minimum and maximum number of inputs. */
  arity: readonly [number, number];
  /** Names of extra outputs (`h_n`, `c_n`). */
  ports?: (attrs: A) => string[];
  /** The dtype each input must have; float32 when left out. */
  inputDtype?: DType;
  infer(attrs: A, inputs: TensorInfo[]): OpOutputs;
  weights?(attrs: A): WeightDecl[];
  /** A graph of simpler ops computing the same thing; weights keep their names. */
  decompose?(attrs: A, id: string, input: string[]): { nodes: DecomposedNode[]; output: string };
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
