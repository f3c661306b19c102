// Random cases: fast-check draws valid specs (chains and small DAGs of v1 ops joined by add, mul
// and concat) with their bindings. Case `random/<seed>-<i>` is randomCase(seed, i): the id alone
// is enough to draw it again, and randomCases(count, seed) is the first `count` of them.
import { hashString, type ModelSpecInput, type NodeInput } from '@tessera/spec';
import fc from 'fast-check';
import { type ConformanceCase, model } from './case.js';

/** A drawn spec as a person would write it, with the sizes of its symbolic dims. */
export interface RandomSpec {
  spec: Omit<ModelSpecInput, 'format'>;
  bindings: Record<string, number>;
}

interface Draw {
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bool(): boolean;
}

/** A tensor of the graph: its reference and its shape after the batch dim (dim 0, symbolic). */
interface Value {
  ref: string;
  rest: number[];
}

/** A way to extend the graph from the current value, or undefined when it does not apply. */
type Step = (
  d: Draw,
  x: Value,
  pool: Value[],
  id: string,
) => { node: NodeInput; rest: number[]; port?: string } | undefined;

const MAX_ELEMENTS = 600; // per batch item, so that every random case runs in milliseconds

const numel = (s: number[]) => s.reduce((p, d) => p * d, 1);
const divisors = (n: number) =>
  Array.from({ length: n }, (_, i) => i + 1).filter((k) => n % k === 0);

function unary(op: 'relu' | 'tanh' | 'sigmoid' | 'silu' | 'dropout'): Step {
  return (_d, x, _p, id) => ({ node: { id, op, input: x.ref }, rest: x.rest });
}

const gelu: Step = (d, x, _p, id) => ({
  node: { id, op: 'gelu', input: x.ref, approximate: d.pick(['none', 'tanh'] as const) },
  rest: x.rest,
});

const softmaxFamily =
  (op: 'softmax' | 'logSoftmax'): Step =>
  (d, x, _p, id) => {
    const rank = x.rest.length + 1;
    // Any dim but the batch, written positive or negative.
    const dim = d.int(1, rank - 1);
    return { node: { id, op, input: x.ref, dim: d.bool() ? dim : dim - rank }, rest: x.rest };
  };

const linear: Step = (d, x, _p, id) => {
  const inFeatures = x.rest[x.rest.length - 1];
  const outFeatures = d.int(1, 9);
  return {
    node: { id, op: 'linear', input: x.ref, inFeatures, outFeatures, bias: d.bool() },
    rest: [...x.rest.slice(0, -1), outFeatures],
  };
};

const norm =
  (op: 'layerNorm' | 'rmsNorm'): Step =>
  (d, x, _p, id) => {
    const k = x.rest.length >= 2 ? d.int(1, 2) : 1;
    const normalizedShape = x.rest.slice(x.rest.length - k);
    const node: NodeInput =
      op === 'layerNorm'
        ? { id, op, input: x.ref, normalizedShape, elementwiseAffine: d.bool(), bias: d.bool() }
        : { id, op, input: x.ref, normalizedShape, elementwiseAffine: d.bool() };
    return { node, rest: x.rest };
  };

const recurrent =
  (op: 'rnn' | 'lstm' | 'gru'): Step =>
  (d, x, _p, id) => {
    if (x.rest.length !== 2) return undefined;
    const hiddenSize = d.int(1, 6);
    const numLayers = d.int(1, 2);
    const bidirectional = d.bool();
    const attrs = {
      id,
      op,
      input: x.ref,
      inputSize: x.rest[1],
      hiddenSize,
      numLayers,
      bidirectional,
      bias: d.bool(),
    };
    const node = (
      op === 'rnn' ? { ...attrs, nonlinearity: d.pick(['tanh', 'relu'] as const) } : attrs
    ) as NodeInput;
    const ports = op === 'lstm' ? ['h_n', 'c_n'] : ['h_n'];
    return {
      node,
      rest: [x.rest[0], (bidirectional ? 2 : 1) * hiddenSize],
      port: d.bool() ? d.pick(ports) : undefined,
    };
  };

const attention: Step = (d, x, _p, id) => {
  if (x.rest.length !== 2) return undefined;
  const e = x.rest[1];
  return {
    node: {
      id,
      op: 'multiHeadAttention',
      input: x.ref,
      embedDim: e,
      numHeads: d.pick(divisors(e)),
      bias: d.bool(),
      causal: d.bool(),
    },
    rest: x.rest,
  };
};

const encoderLayer: Step = (d, x, _p, id) => {
  if (x.rest.length !== 2) return undefined;
  const e = x.rest[1];
  return {
    node: {
      id,
      op: 'transformerEncoderLayer',
      input: x.ref,
      dModel: e,
      nhead: d.pick(divisors(e)),
      dimFeedforward: d.int(1, 12),
      activation: d.pick(['relu', 'gelu'] as const),
      normFirst: d.bool(),
      causal: d.bool(),
      bias: d.bool(),
    },
    rest: x.rest,
  };
};

const positional: Step = (d, x, _p, id) => {
  if (x.rest.length !== 2) return undefined;
  const [t, e] = x.rest;
  return {
    node: {
      id,
      op: 'positionalEmbedding',
      input: x.ref,
      kind: d.pick(['learned', 'sinusoidal'] as const),
      maxLength: t + d.int(0, 4),
      embeddingDim: e,
    },
    rest: x.rest,
  };
};

/** Output size of a window op: floor or ceil((L + 2p − eff) / s) + 1, PyTorch's ceil-mode rule included. */
function windowSize(size: number, pad: number, eff: number, stride: number, ceil: boolean): number {
  const span = size + 2 * pad - eff;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= size + pad) out -= 1;
  return out;
}

const conv: Step = (d, x, _p, id) => {
  const n = x.rest.length - 1;
  if (n !== 1 && n !== 2) return undefined;
  const [inChannels, ...spatial] = x.rest;
  const groups = d.pick(divisors(inChannels));
  const outChannels = groups * d.int(1, Math.max(1, Math.floor(6 / groups)));
  const paddingKind = d.pick(['int', 'same', 'valid'] as const);
  const stride = paddingKind === 'same' ? 1 : d.int(1, 2);
  const dilation = d.int(1, 2);
  const pad = paddingKind === 'int' ? d.int(0, 2) : 0;
  // The largest kernel whose dilated extent fits the padded input ("same" keeps the size, so any kernel fits).
  const kernel = spatial.map((s) => {
    const room = paddingKind === 'same' ? 4 : Math.floor((s + 2 * pad - 1) / dilation) + 1;
    return d.int(1, Math.max(1, Math.min(4, room)));
  });
  const out = spatial.map((s, i) => {
    if (paddingKind === 'same') return s;
    return windowSize(s, pad, dilation * (kernel[i] - 1) + 1, stride, false);
  });
  if (out.some((o) => o < 1)) return undefined;
  const padding = paddingKind === 'int' ? pad : paddingKind;
  const op = n === 1 ? 'conv1d' : 'conv2d';
  const node = {
    id,
    op,
    input: x.ref,
    inChannels,
    outChannels,
    kernelSize: n === 1 ? kernel[0] : kernel,
    stride,
    padding,
    dilation,
    groups,
    bias: d.bool(),
  } as NodeInput;
  return { node, rest: [outChannels, ...out] };
};

const pool: Step = (d, x, _p, id) => {
  const n = x.rest.length - 1;
  if (n !== 1 && n !== 2) return undefined;
  const [channels, ...spatial] = x.rest;
  const kind = d.pick(['max', 'avg'] as const);
  const ceilMode = d.bool();
  const dilation = kind === 'max' ? d.int(1, 2) : 1;
  const kernel = spatial.map((s) =>
    d.int(1, Math.max(1, Math.min(3, Math.floor((s - 1) / dilation) + 1))),
  );
  const stride = d.int(1, 3);
  // PyTorch allows at most half the kernel as padding.
  const pad = d.int(0, Math.floor(Math.min(...kernel) / 2));
  const out = spatial.map((s, i) =>
    windowSize(s, pad, dilation * (kernel[i] - 1) + 1, stride, ceilMode),
  );
  if (out.some((o) => o < 1)) return undefined;
  const op = `${kind}Pool${n}d`;
  const extra = kind === 'max' ? { dilation } : { countIncludePad: d.bool() };
  const node = {
    id,
    op,
    input: x.ref,
    kernelSize: n === 1 ? kernel[0] : kernel,
    stride,
    padding: pad,
    ceilMode,
    ...extra,
  } as NodeInput;
  return { node, rest: [channels, ...out] };
};

const batchNorm: Step = (_d, x, _p, id) => {
  if (x.rest.length < 1 || x.rest.length > 3) return undefined;
  return { node: { id, op: 'batchNorm', input: x.ref, numFeatures: x.rest[0] }, rest: x.rest };
};

const globalAvgPool: Step = (_d, x, _p, id) => {
  if (x.rest.length !== 2 && x.rest.length !== 3) return undefined;
  return {
    node: { id, op: 'globalAvgPool', input: x.ref },
    rest: [x.rest[0], ...x.rest.slice(1).map(() => 1)],
  };
};

const flatten: Step = (d, x, _p, id) => {
  const rank = x.rest.length + 1;
  if (rank < 3) return undefined;
  const start = d.int(1, rank - 2);
  const end = d.int(start + 1, rank - 1);
  const rest = [
    ...x.rest.slice(0, start - 1),
    numel(x.rest.slice(start - 1, end)),
    ...x.rest.slice(end),
  ];
  return {
    node: { id, op: 'flatten', input: x.ref, startDim: start, endDim: d.bool() ? end : end - rank },
    rest,
  };
};

const reshape: Step = (d, x, _p, id) => {
  const total = numel(x.rest);
  // Either all features in one dim, or the last dim split into two factors.
  const last = x.rest[x.rest.length - 1];
  const split = divisors(last).filter((k) => k > 1 && k < last);
  let rest: number[];
  if (split.length > 0 && d.bool()) {
    const k = d.pick(split);
    rest = [...x.rest.slice(0, -1), k, last / k];
  } else rest = [total];
  if (rest.length > 4) return undefined;
  // The batch dim is symbolic, so it is the -1.
  return { node: { id, op: 'reshape', input: x.ref, shape: [-1, ...rest] }, rest };
};

const permute: Step = (d, x, _p, id) => {
  if (x.rest.length < 2) return undefined;
  const order = x.rest.map((_, i) => i);
  // A Fisher–Yates shuffle of the non-batch dims.
  for (let i = order.length - 1; i > 0; i--) {
    const j = d.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const dims = [0, ...order.map((k) => k + 1)];
  return { node: { id, op: 'permute', input: x.ref, dims }, rest: order.map((k) => x.rest[k]) };
};

const select: Step = (d, x, _p, id) => {
  if (x.rest.length < 2) return undefined;
  const k = d.int(0, x.rest.length - 1);
  const size = x.rest[k];
  return {
    node: { id, op: 'select', input: x.ref, dim: k + 1, index: d.int(-size, size - 1) },
    rest: x.rest.filter((_, i) => i !== k),
  };
};

const mean: Step = (d, x, _p, id) => {
  const keepdim = d.bool();
  const candidates = x.rest.map((_, i) => i);
  if (!keepdim && candidates.length < 2) return undefined;
  const k = d.pick(candidates);
  const dims = [k];
  const other = candidates.filter((c) => c !== k);
  if (other.length > (keepdim ? 0 : 1) && d.bool()) dims.push(d.pick(other));
  const rest = keepdim
    ? x.rest.map((s, i) => (dims.includes(i) ? 1 : s))
    : x.rest.filter((_, i) => !dims.includes(i));
  const dim = dims.length === 1 ? dims[0] + 1 : dims.map((i) => i + 1);
  return { node: { id, op: 'mean', input: x.ref, dim, keepdim }, rest };
};

const join =
  (op: 'add' | 'mul'): Step =>
  (d, x, pool, id) => {
    // A partner of the same shape, or one that broadcasts (a 1 where x has a size).
    const partners = pool.filter(
      (p) => p.rest.length === x.rest.length && p.rest.every((s, i) => s === x.rest[i] || s === 1),
    );
    if (partners.length === 0) return undefined;
    const p = d.pick(partners);
    return { node: { id, op, input: d.bool() ? [x.ref, p.ref] : [p.ref, x.ref] }, rest: x.rest };
  };

const concat: Step = (d, x, pool, id) => {
  const partners = pool.filter(
    (p) => p.rest.length === x.rest.length && p.rest.filter((s, i) => s !== x.rest[i]).length <= 1,
  );
  if (partners.length === 0) return undefined;
  const p = d.pick(partners);
  const differing = x.rest.findIndex((s, i) => s !== p.rest[i]);
  const k = differing >= 0 ? differing : d.int(0, x.rest.length - 1);
  const rest = x.rest.map((s, i) => (i === k ? s + p.rest[i] : s));
  return { node: { id, op: 'concat', input: [x.ref, p.ref], dim: k + 1 }, rest };
};

const steps: Record<string, Step> = {
  relu: unary('relu'),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  silu: unary('silu'),
  dropout: unary('dropout'),
  gelu,
  softmax: softmaxFamily('softmax'),
  logSoftmax: softmaxFamily('logSoftmax'),
  linear,
  layerNorm: norm('layerNorm'),
  rmsNorm: norm('rmsNorm'),
  rnn: recurrent('rnn'),
  lstm: recurrent('lstm'),
  gru: recurrent('gru'),
  multiHeadAttention: attention,
  transformerEncoderLayer: encoderLayer,
  positionalEmbedding: positional,
  conv,
  pool,
  batchNorm,
  globalAvgPool,
  flatten,
  reshape,
  permute,
  select,
  mean,
  add: join('add'),
  mul: join('mul'),
  concat,
};
const stepNames = Object.keys(steps);

type Start = 'sequence' | 'image' | 'signal' | 'features' | 'tokens';

/** Draws a valid spec: an input, 1 to 6 steps from the current value, and one to three outputs. */
export function drawSpec(d: Draw): RandomSpec {
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
    x = { ref: 'n0', rest: [t, dim] };
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
    x = { ref: 'x', rest };
  }
  const pool: Value[] = [x];
  const ports: string[] = [];
  const count = d.int(1, 6);
  for (let k = 0; k < count; k++) {
    const id = `n${nodes.length}`;
    // A few tries: a drawn step may not fit the current shape.
    for (let attempt = 0; attempt < 8; attempt++) {
      const made = steps[d.pick(stepNames)](d, x, pool, id);
      if (made === undefined || numel(made.rest) > MAX_ELEMENTS || made.rest.some((s) => s < 1))
        continue;
      nodes.push(made.node);
      if (made.port !== undefined) ports.push(`${id}:${made.port}`);
      x = { ref: id, rest: made.rest };
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

function drawFrom(g: fc.GeneratorValue): Draw {
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
