// A tied LM (a linear with tiedTo reading its embedding's table, DESIGN §6.1) trains one tensor:
// the gradients of the lookup and of the head both reach the same variable, embed.weight.
import { compileReference } from '@tessera/backend-reference';
import { initWeights, parseSpec, type Tensor, tensor, type Weights } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { computeGradients, evaluateLoss, train } from './train.js';

const V = 6;
const E = 4;

const nodes = (head: Record<string, unknown>) => [
  { id: 'embed', op: 'embedding', numEmbeddings: V, embeddingDim: E },
  { id: 'mix', op: 'linear', inFeatures: E, outFeatures: E },
  { id: 'act', op: 'tanh' },
  { id: 'head', op: 'linear', inFeatures: E, outFeatures: V, weightPrefix: 'lm_head', ...head },
];
const lm = (head: Record<string, unknown>) =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: { tokens: { dtype: 'int32', shape: ['batch', 'time'] } },
    outputs: { logits: 'head' },
    nodes: nodes(head),
  });
const tied = lm({ tiedTo: 'embed' });
const untied = lm({});

// A fixed cyclic sequence 1 2 3 4 5 1 2 ...: the next id is a function of the current one.
const tokens = tensor(
  'int32',
  [4, 6],
  Array.from({ length: 24 }, (_, i) => 1 + ((i + Math.floor(i / 6)) % 5)),
);
const next = tensor(
  'int32',
  [4, 6],
  Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? -100 : tokens.data[i + 1])),
);
const data = { inputs: { tokens }, targets: next };
const loss = { kind: 'crossEntropy', ignoreIndex: -100 } as const;

/** The untied spec's weights with the head's own copy of the table. */
function untie(w: Weights): Weights {
  const out = new Map(w);
  out.set('lm_head.weight', w.get('embed.weight')!);
  return out;
}

function bitsEqual(a: Tensor, b: Tensor): boolean {
  return a.data.length === b.data.length && a.data.every((v, i) => Object.is(v, b.data[i]));
}

describe('a tied LM', () => {
  it('trains one table, which is the head weight afterwards', async () => {
    const weights = initWeights(tied, 1);
    expect([...weights.keys()]).toEqual(['embed.weight', 'mix.weight', 'mix.bias', 'lm_head.bias']);
    const start = await evaluateLoss(tied, weights, data, { loss });
    const result = await train(tied, weights, data, {
      loss,
      optimizer: 'adam',
      learningRate: 0.05,
      epochs: 30,
      batchSize: 4,
    });
    expect(await evaluateLoss(tied, result.weights, data, { loss })).toBeLessThan(start / 4);
    expect([...result.weights.keys()]).toEqual([...weights.keys()]);
    expect(bitsEqual(result.weights.get('embed.weight')!, weights.get('embed.weight')!)).toBe(
      false,
    );
    // The trained table is the head's weight: the untied spec given it as lm_head.weight computes
    // the same logits.
    const a = await compileReference(tied, result.weights).run({ tokens });
    const b = await compileReference(untied, untie(result.weights)).run({ tokens });
    expect(Array.from(a.logits.data)).toEqual(Array.from(b.logits.data));
  });

  it("the table's gradient is the sum of the lookup's and the head's", async () => {
    const weights = initWeights(tied, 2);
    const batch = { inputs: { tokens }, targets: next };
    const g = await computeGradients(tied, weights, batch, { loss });
    const u = await computeGradients(untied, untie(weights), batch, { loss });
    expect([...g.gradients.keys()]).toEqual([...weights.keys()]);
    const sum = u.gradients
      .get('embed.weight')!
      .data.map((v, i) => v + u.gradients.get('lm_head.weight')!.data[i]);
    expect(g.loss).toBeCloseTo(u.loss, 6);
    const got = g.gradients.get('embed.weight')!.data;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(sum[i], 6);
    // Both parts matter: neither alone is the tied gradient.
    expect(u.gradients.get('lm_head.weight')!.data.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    expect(u.gradients.get('embed.weight')!.data.some((v) => Math.abs(v) > 1e-4)).toBe(true);
  });

  it('freezing the embedding freezes the table; freezing the head keeps only its bias', async () => {
    const weights = initWeights(tied, 3);
    const options = { loss, learningRate: 0.1, batchSize: 4 } as const;
    const e = await train(tied, weights, data, { ...options, freeze: ['embed'] });
    expect(bitsEqual(e.weights.get('embed.weight')!, weights.get('embed.weight')!)).toBe(true);
    expect(bitsEqual(e.weights.get('lm_head.bias')!, weights.get('lm_head.bias')!)).toBe(false);
    const h = await train(tied, weights, data, { ...options, freeze: ['head'] });
    expect(bitsEqual(h.weights.get('lm_head.bias')!, weights.get('lm_head.bias')!)).toBe(true);
    expect(bitsEqual(h.weights.get('embed.weight')!, weights.get('embed.weight')!)).toBe(false);
  });

  it("accepts a tied state_dict that also holds the head's copy", async () => {
    const weights = untie(initWeights(tied, 4));
    const result = await train(tied, weights, data, { loss, learningRate: 0.1, batchSize: 4 });
    expect(result.weights.has('lm_head.weight')).toBe(false);
    expect(result.weights.has('embed.weight')).toBe(true);
  });
});
