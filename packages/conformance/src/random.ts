// Random cases: fast-check draws valid specs (chains and small DAGs of v1 ops, joined by the ops
// of two inputs) with their bindings. Every op's attributes come from its own fuzzing rule and
// its output shape from its own shape rule (both in @tessera/spec's op files); this file only
// grows the graph. Case `random/<seed>-<i>` is randomCase(seed, i): the id alone is enough to
// draw it again, and randomCases(count, seed) is the first `count` of them.
import {
  type FuzzDraw,
  hashString,
  type ModelSpecInput,
  type NodeInput,
  type NodeSpec,
  opDef,
  opNames,
  ShapeIssue,
  type TensorInfo,
} from '@tessera/spec';
import fc from 'fast-check';
import { type ConformanceCase, model } from './case.js';

/** A drawn spec as a person would write it, with the sizes of its symbolic dims. */
export interface RandomSpec {
  spec: Omit<ModelSpecInput, 'format'>;
  bindings: Record<string, number>;
}

/** A tensor of the graph: its reference and its shape, dim 0 the batch (bound here). */
interface Value {
  ref: string;
  shape: number[];
}

const MAX_ELEMENTS = 600; // per batch item, so that every random case runs in milliseconds
const ATTEMPTS = 12; // draws per step: a drawn op may not fit the current value

const numel = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** The ops with a fuzzing rule, in registry order (embedding only starts `tokens` graphs). */
const fuzzable = opNames.filter((op) => opDef(op)!.fuzz !== undefined);

/** The value's shape as the spec sees it: dim 0 the symbolic batch. */
const symbolic = (v: Value): TensorInfo => ({
  dtype: 'float32',
  shape: ['batch', ...v.shape.slice(1)],
});

/**
 * One node reading `x`: a random op's own fuzzing rule draws its attributes (and partner), its
 * schema checks the node, and its own shape rule gives the output shape. Undefined when the op
 * does not fit, or its output is not [batch, ...known sizes] within MAX_ELEMENTS.
 */
function drawNode(
  d: FuzzDraw,
  x: Value,
  pool: Value[],
  id: string,
): { node: NodeInput; value: Value; port?: string } | undefined {
  const op = d.pick(fuzzable);
  const def = opDef(op)!;
  const made = def.fuzz!(
    d,
    x.shape,
    pool.map((v) => v.shape),
  );
  if (made === undefined) return undefined;
  const partner = made.partner === undefined ? [] : [pool[made.partner]];
  const inputs = made.partnerFirst ? [...partner, x] : [x, ...partner];
  const raw = {
    id,
    op,
    input: inputs.length === 1 ? inputs[0].ref : inputs.map((v) => v.ref),
    ...made.attrs,
  };
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) return undefined;
  const attrs = { ...parsed.data, input: inputs.map((v) => v.ref) } as NodeSpec;
  let out: TensorInfo;
  let bound: TensorInfo;
  try {
    out = def.infer(attrs, inputs.map(symbolic)).out;
    // The same rule at the bound batch size must agree (what running the case will see).
    bound = def.infer(
      attrs,
      inputs.map((v) => ({ dtype: 'float32', shape: v.shape })),
    ).out;
  } catch (e) {
    if (e instanceof ShapeIssue) return undefined;
    throw e;
  }
  const [batch, ...rest] = out.shape;
  if (batch !== 'batch' || !rest.every((s): s is number => typeof s === 'number' && s >= 1))
    return undefined;
  const shape = [x.shape[0], ...rest];
  if (numel(rest) > MAX_ELEMENTS) return undefined;
  if (bound.shape.length !== shape.length || bound.shape.some((s, i) => s !== shape[i]))
    return undefined;
  if (made.port !== undefined && !(def.ports?.(attrs) ?? []).includes(made.port)) return undefined;
  // The node as a person would write it (defaults left out); the op's schema accepted it above.
  return { node: raw as NodeInput, value: { ref: id, shape }, port: made.port };
}

type Start = 'sequence' | 'image' | 'signal' | 'features' | 'tokens';

/** Draws a valid spec: an input, 1 to 6 nodes from the current value, and one to three outputs. */
export function drawSpec(d: FuzzDraw): RandomSpec {
  const batch = d.int(1, 3);
  const start = d.pick(['sequence', 'image', 'signal', 'features', 'tokens'] as Start[]);
  const nodes: NodeInput[] = [];
  let x: Value;
  let inputs: RandomSpec['spec']['inputs'];
  if (start === 'tokens') {
    const t = d.int(1, 6);
    const dim = d.int(2, 8);
    inputs = { tokens: { dtype: 'int32', shape: ['batch', t] } };
    nodes.push({
      id: 'n0',
      op: 'embedding',
      input: 'tokens',
      numEmbeddings: d.int(2, 13),
      embeddingDim: dim,
    });
    x = { ref: 'n0', shape: [batch, t, dim] };
  } else {
    const rest =
      start === 'sequence'
        ? [d.int(1, 6), d.int(1, 9)]
        : start === 'image'
          ? [d.int(1, 4), d.int(2, 7), d.int(2, 7)]
          : start === 'signal'
            ? [d.int(1, 5), d.int(2, 12)]
            : [d.int(1, 12)];
    inputs = { x: { dtype: 'float32', shape: ['batch', ...rest] } };
    x = { ref: 'x', shape: [batch, ...rest] };
  }
  const pool: Value[] = [x];
  const ports: string[] = [];
  const count = d.int(1, 6);
  for (let k = 0; k < count; k++) {
    const id = `n${nodes.length}`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const made = drawNode(d, x, pool, id);
      if (made === undefined) continue;
      nodes.push(made.node);
      if (made.port !== undefined) ports.push(`${id}:${made.port}`);
      x = made.value;
      pool.push(x);
      break;
    }
  }
  if (nodes.length === 0) nodes.push({ id: 'n0', op: 'relu', input: x.ref });
  const last = nodes[nodes.length - 1].id;
  const outputs: Record<string, string> = { y: last };
  // Sometimes an intermediate value and a recurrent state are outputs too.
  const earlier = nodes.slice(0, -1).map((n) => n.id);
  if (earlier.length > 0 && d.bool()) outputs.mid = d.pick(earlier);
  if (ports.length > 0 && d.bool()) outputs.state = d.pick(ports);
  return { spec: { name: 'random', inputs, outputs, nodes }, bindings: { batch } };
}

function drawFrom(g: fc.GeneratorValue): FuzzDraw {
  return {
    int: (min, max) => g(fc.integer, { min, max }),
    pick: (items) => g(fc.constantFrom, ...items),
    bool: () => g(fc.boolean),
  };
}

/** The fast-check arbitrary of random specs (usable in property tests; it shrinks). */
export const randomSpecArbitrary: fc.Arbitrary<RandomSpec> = fc
  .gen()
  .map((g) => drawSpec(drawFrom(g)));

/** The seed fast-check uses for case i of a run seeded `seed`. */
function caseSeed(seed: number, index: number): number {
  return hashString(`random/${seed}-${index}`) | 0;
}

/** Case `random/<seed>-<index>`. */
export function randomCase(seed: number, index: number): ConformanceCase {
  const id = `random/${seed}-${index}`;
  const [drawn] = fc.sample(randomSpecArbitrary, { seed: caseSeed(seed, index), numRuns: 1 });
  const s = caseSeed(seed, index) >>> 0;
  return {
    id,
    description: `${drawn.spec.nodes.map((n) => n.op).join(' → ')}`,
    spec: () => model(drawn.spec),
    bindings: drawn.bindings,
    weightSeed: s % 1_000_000,
    inputSeed: (s % 1_000_000) + 1,
  };
}

/** `count` random cases; the same (count, seed) always gives the same cases. */
export function randomCases(count: number, seed: number): ConformanceCase[] {
  return Array.from({ length: count }, (_, i) => randomCase(seed, i));
}
