// A compact way to write a case: inputs, nodes and outputs as a person writes a spec. Seeds are
// derived from the id, so every case draws its own weights and inputs and keeps them when others change.
import { hashString, type InputSpec, type NodeInput } from '@tessera/spec';
import { type ConformanceCase, model, type SpecialValue } from '../case.js';
import type { ToleranceOverride } from '../tolerance.js';

/** A case as written in `src/cases/<op>.ts`: inputs, nodes and sizes; defineCase adds the seeds. */
export interface CaseDefinition {
  description?: string;
  inputs: Record<string, { dtype?: InputSpec['dtype']; shape: (number | string)[] }>;
  nodes: NodeInput[];
  /** Output name → reference; `{ y: <last node> }` when left out. */
  outputs?: Record<string, string>;
  bindings?: Record<string, number>;
  inputScale?: number;
  /** NaN or ±Inf written over the seeded inputs at chosen positions, by input name. */
  special?: Record<string, SpecialValue[]>;
  /** The values of lengths inputs by name (their batch must be bound to as many). */
  lengths?: Record<string, number[]>;
  tolerance?: ToleranceOverride;
}

/**
 * A catalogue case from its id and definition; its weight and input seeds come from the id, so
 * that the same id always draws the same tensors.
 *
 * @example
 * defineCase('linear/no-bias', {
 *   inputs: { x: { shape: ['batch', 5] } },
 *   nodes: [{ id: 'fc', op: 'linear', inFeatures: 5, outFeatures: 3, bias: false }],
 *   bindings: { batch: 2 },
 * });
 */
export function defineCase(id: string, d: CaseDefinition): ConformanceCase {
  const seed = hashString(id) % 1_000_000;
  return {
    id,
    ...(d.description !== undefined ? { description: d.description } : {}),
    spec: () =>
      model({
        name: id.replace(/[^A-Za-z0-9_-]/g, '_'),
        inputs: Object.fromEntries(
          Object.entries(d.inputs).map(([k, v]) => [
            k,
            { dtype: v.dtype ?? 'float32', shape: v.shape },
          ]),
        ),
        outputs: d.outputs ?? { y: d.nodes[d.nodes.length - 1].id },
        nodes: d.nodes,
      }),
    bindings: d.bindings ?? {},
    weightSeed: seed,
    inputSeed: seed + 1,
    ...(d.inputScale !== undefined ? { inputScale: d.inputScale } : {}),
    ...(d.special !== undefined ? { special: d.special } : {}),
    ...(d.lengths !== undefined ? { lengths: d.lengths } : {}),
    ...(d.tolerance !== undefined ? { tolerance: d.tolerance } : {}),
  };
}

/** A case of one node reading one float input. */
export function unaryCase(
  id: string,
  shape: (number | string)[],
  node: NodeInput,
  rest: Omit<CaseDefinition, 'inputs' | 'nodes'> = {},
): ConformanceCase {
  return defineCase(id, { ...rest, inputs: { x: { shape } }, nodes: [node] });
}

/** [batch, time, features] with batch 2, time 5 unless given. */
export const seq = (features: number) => ['batch', 'time', features];
export const seqBindings = (time = 5, batch = 2) => ({ batch, time });

export const nan = Number.NaN;
export const inf = Number.POSITIVE_INFINITY;

/** `value` at every position of the lane along the last dim at `prefix` (a fully masked row). */
export function wholeRow(prefix: number[], size: number, value: number): SpecialValue[] {
  return Array.from({ length: size }, (_, k) => ({ at: [...prefix, k], value }));
}

/** `[[...at], value]` pairs, shorter to write, as special values. */
export const at = (...entries: [number[], number][]): SpecialValue[] =>
  entries.map(([position, value]) => ({ at: position, value }));

/**
 * An elementwise op on [2, 7] with NaN, +Inf and −Inf in it. PyTorch: relu, sigmoid, tanh, gelu
 * and silu keep NaN; relu(±inf) = inf, 0; sigmoid = 1, 0; tanh = 1, −1; gelu and silu give inf
 * at +inf and NaN at −inf, since x·Φ(x) is −inf·0 there (torch 1.13 checked, see
 * test/fixtures/special-torch.py).
 */
export function nonFiniteUnaryCase(id: string, node: NodeInput): ConformanceCase {
  return defineCase(id, {
    description: 'NaN, +inf and −inf elements',
    inputs: { x: { shape: [2, 7] } },
    nodes: [node],
    special: { x: at([[0, 1], nan], [[0, 3], inf], [[1, 2], -inf], [[1, 6], nan]) },
  });
}

/**
 * A softmax over the last dim of [B, 4, 6] (inputs scaled by 3) with rows holding NaN, +inf,
 * all −inf and partly −inf, beside finite rows. What PyTorch gives is said at each use.
 */
export function nonFiniteSoftmaxCase(id: string, node: NodeInput): ConformanceCase {
  return defineCase(id, {
    description: 'rows with NaN, with +inf, all −inf, and partly −inf, beside finite rows',
    inputs: { x: { shape: seq(6) } },
    nodes: [node],
    bindings: seqBindings(4),
    inputScale: 3,
    special: {
      x: [
        ...at([[0, 0, 2], nan], [[0, 2, 0], -inf], [[0, 2, 3], -inf], [[1, 0, 1], inf]),
        ...at([[1, 1, 4], inf], [[1, 1, 0], -inf]),
        ...wholeRow([0, 1], 6, -inf),
      ],
    },
  });
}

/**
 * A norm over the last dim of [B, 3, 6] with rows holding +inf, −inf, NaN, and +inf with −inf,
 * beside finite rows. What PyTorch gives is said at each use.
 */
export function nonFiniteNormCase(id: string, node: NodeInput): ConformanceCase {
  return defineCase(id, {
    description: 'rows with +inf, −inf, NaN, and +inf with −inf, beside finite rows',
    inputs: { x: { shape: seq(6) } },
    nodes: [node],
    bindings: seqBindings(3),
    special: {
      x: at(
        [[0, 0, 2], inf],
        [[0, 2, 0], -inf],
        [[1, 1, 5], nan],
        [[1, 2, 1], inf],
        [[1, 2, 3], -inf],
      ),
    },
  });
}
