// The public API: createBackend, compile's checks and copies, run's input checks, outputs.
import {
  InputError,
  initWeights,
  opNames,
  parseSpec,
  RuntimeFailure,
  transformerLM,
  WeightError,
  type Weights,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';
import { f32, i32 } from './harness.js';

const lm = transformerLM({ vocabSize: 11, dModel: 8, nhead: 2, numLayers: 1, maxLength: 6 });
const tokens = i32([1, 3], [1, 5, 10]);

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('createBackend', () => {
  it('is the f64 reference and supports every op', async () => {
    const backend = await createBackend();
    expect(backend.name).toBe('reference');
    expect(backend.variant).toBe('f64');
    for (const op of opNames) expect(backend.supports(op)).toBe(true);
    expect(backend.supports('conv3d')).toMatch(/not an op of tessera.model\/v1/);
    expect((await createBackend({ variant: 'f64' })).variant).toBe('f64');
    await expect(createBackend({ variant: 'webgl' })).rejects.toThrow(/one variant, "f64"/);
  });
});

describe('compile', () => {
  it('rejects mismatching weights with a WeightError naming each tensor', async () => {
    const backend = await createBackend();
    const weights: Weights = new Map(initWeights(lm, 1));
    weights.delete('head.weight');
    weights.set('embed.weight', f32([11, 7], new Array(77).fill(0)));
    weights.set('stray', f32([1], [0]));
    const e = await rejected(backend.compile(lm, weights));
    expect(e).toBeInstanceOf(WeightError);
    expect(e.message).toMatch(/head\.weight: is missing/);
    expect(e.message).toMatch(/embed\.weight: has shape \[11, 7\], expected \[11, 8\]/);
    expect(e.message).toMatch(/stray: is not a weight/);
  });

  it('does not mutate the spec or the weights, and later changes to them do not reach the model', async () => {
    const backend = await createBackend();
    const weights = initWeights(lm, 2);
    const specBefore = structuredClone(lm);
    const weightsBefore = new Map(
      [...weights].map(([k, v]) => [k, { ...v, shape: [...v.shape], data: v.data.slice() }]),
    );
    const model = await backend.compile(lm, weights);
    const first = await model.run({ tokens });
    expect(lm).toEqual(specBefore);
    expect(weights).toEqual(weightsBefore);
    // Now change the caller's copies: the compiled model must not notice.
    weights.get('head.weight')!.data.fill(0);
    (lm.nodes[0] as { numEmbeddings: number }).numEmbeddings = 1;
    const second = await model.run({ tokens });
    expect(second.logits.data).toEqual(first.logits.data);
    (lm.nodes[0] as { numEmbeddings: number }).numEmbeddings = 11;
  });
});

describe('run', () => {
  const ready = async () => (await createBackend()).compile(lm, initWeights(lm, 3));

  it('returns float32 outputs of the inferred shape', async () => {
    const out = await (await ready()).run({ tokens });
    expect(Object.keys(out)).toEqual(['logits']);
    expect(out.logits.dtype).toBe('float32');
    expect(out.logits.shape).toEqual([1, 3, 11]);
  });

  it('rejects a wrong dtype, a wrong shape, an out-of-range id, too many steps: InputError naming the input', async () => {
    const model = await ready();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ tokens: f32([1, 3], [1, 2, 3]) }, /tokens: has dtype float32/],
      [{ tokens: i32([3], [1, 2, 3]) }, /tokens: has rank 1/],
      [
        { tokens: i32([1, 3], [1, 11, 2]) },
        /tokens: id 11 at flat index 1 is out of range \[0, 11\)/,
      ],
      [{ tokens: i32([1, 7], [1, 2, 3, 4, 5, 6, 7]) }, /maxLength|7 steps/],
      [{}, /tokens: is missing/],
    ];
    for (const [inputs, message] of cases) {
      const e = await rejected(model.run(inputs as never));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(message);
      expect(thrown(() => model.runFloat64(inputs as never))).toBeInstanceOf(InputError);
    }
  });

  it('refuses to run after dispose', async () => {
    const model = await ready();
    await model.dispose();
    await expect(model.run({ tokens })).rejects.toThrow(/disposed/);
  });

  it('handles ids that are Object.prototype names, ports and inputs as outputs', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { ids: { dtype: 'int32', shape: [2, 2] } },
      outputs: { echo: 'ids', state: '__proto__:h_n', y: 'constructor' },
      nodes: [
        { id: 'toString', op: 'embedding', input: 'ids', numEmbeddings: 4, embeddingDim: 2 },
        { id: '__proto__', op: 'gru', input: 'toString', inputSize: 2, hiddenSize: 3 },
        { id: 'constructor', op: 'relu', input: '__proto__' },
      ],
    });
    const model = await (await createBackend()).compile(spec, initWeights(spec, 4));
    const out = await model.run({ ids: i32([2, 2], [3, 0, 1, 2]) });
    // An output naming an int32 model input comes back as int32.
    expect(out.echo).toEqual({
      dtype: 'int32',
      shape: [2, 2],
      data: Int32Array.from([3, 0, 1, 2]),
    });
    expect(out.state.shape).toEqual([1, 2, 3]);
    expect(out.y.shape).toEqual([2, 2, 3]);
    // The GRU's final state is its output at the last step (one layer, one direction).
    const f64 = model.runFloat64({ ids: i32([2, 2], [3, 0, 1, 2]) });
    expect(Array.from(f64.state.data.subarray(0, 3)).map((v) => Math.max(0, v))).toEqual(
      Array.from(f64.y.data.subarray(3, 6)),
    );
  });

  it('observe sees every node output and port in order', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [1, 2, 1] } },
      outputs: { y: 'r' },
      nodes: [
        { id: 'r', op: 'lstm', inputSize: 1, hiddenSize: 1 },
        { id: 's', op: 'sigmoid', input: 'r:c_n' },
      ],
    });
    const model = await (await createBackend()).compile(spec, initWeights(spec, 1));
    const seen: string[] = [];
    model.runFloat64({ x: f32([1, 2, 1], [1, 2]) }, { observe: (ref) => seen.push(ref) });
    expect(seen).toEqual(['r', 'r:h_n', 'r:c_n', 's']);
  });
});

describe('a runtime failure', () => {
  it('an allocation past the engine, with the limits raised, is a RuntimeFailure naming the node', async () => {
    // [1, 65536, 8] → linear to 70,000 features: 4,587,520,000 elements, over V8's typed-array
    // length (2^32), so the allocation fails at once instead of running out of memory slowly.
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [1, 65536, 8] } },
      outputs: { y: 'wide' },
      nodes: [{ id: 'wide', op: 'linear', inFeatures: 8, outFeatures: 70_000, bias: false }],
    });
    const limits = { maxActivationElements: 2 ** 40 };
    const model = await (await createBackend()).compile(spec, initWeights(spec, 1), { limits });
    const x = f32([1, 65536, 8], new Array(65536 * 8).fill(0.5));
    const error = await model.run({ x }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeFailure);
    expect((error as RuntimeFailure).nodeId).toBe('wide');
    expect((error as RuntimeFailure).outOfMemory).toBe(true);
    expect((error as Error).message).toMatch(
      /^reference failed at node "wide": .*Invalid typed array length/,
    );
  });
});
