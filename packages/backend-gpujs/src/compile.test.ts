import { type ConformanceCase, caseById, defineCase, materialise } from '@tessera/conformance';
import { expectOutputsConform } from '@tessera/conformance/vitest';
import {
  InputError,
  initWeights,
  type ModelSpec,
  parseSpec,
  randomInputs,
  tensor,
  UnsupportedOpError,
  WeightError,
} from '@tessera/spec';
import { GPU } from 'gpu.js';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createBackend, type Variant } from './index.js';

const variants: Variant[] = ['cpu', 'webasm'];

afterEach(() => {
  vi.restoreAllMocks();
});

// Every identifier a generated kernel may hold: gpu.js's own (this.thread.x, Math.*), keywords,
// and the locals and argument names the compiler chooses.
const allowed = new Set(
  (
    'function const let for if return continue this thread x Math floor max exp log sqrt abs ' +
    'i j jj o b h t v y z e n r c s s0 s1 s2 s3 k k0 k1 ic grp p0 p1 xb wb row base dv ch plane real withPad xAt hAt pre ig fg gg og xn wn xc wc x0 x1 w0 w1 pq xq ' +
    // locals of the overflow-free tanh and σ (kernels/stable.ts)
    'igx ige fgx fge ggx gge ggm ogx oge tc tcx tce tcm'
  ).split(' '),
);
const allowedPattern = /^(a|c|q|r)[0-9]+$/;

// Every name in edge/js-names means something to JavaScript (globals, keywords, Object members,
// `then`); none may reach a kernel's source, except as a word the compiler writes itself (`this`).
const hostile = caseById('edge/js-names')!;
const hostileNames = (spec: ModelSpec) =>
  [
    spec.name,
    ...Object.keys(spec.inputs),
    ...Object.keys(spec.outputs),
    ...spec.nodes.map((n) => n.id),
  ].filter((name) => !allowed.has(name));

describe('generated kernel source', () => {
  test.each(variants)(
    'holds no text from the spec, only compiler names and numbers (%s)',
    async (variant) => {
      const hooked: string[] = [];
      const seen: string[] = [];
      const original = GPU.prototype.createKernel;
      // Capture what gpu.js itself receives, independently of the compiler's own hook.
      vi.spyOn(GPU.prototype, 'createKernel').mockImplementation(function (
        this: GPU,
        source: unknown,
        settings?: unknown,
      ) {
        seen.push(String(source));
        return (original as (s: unknown, o: unknown) => ReturnType<GPU['createKernel']>).call(
          this,
          source,
          settings,
        );
      });
      const { spec, weights, inputs } = materialise(hostile);
      const model = await (await createBackend({ variant })).compile(spec, weights, {
        onKernelSource: (s: string) => hooked.push(s),
      });
      const got = await model.run(inputs);
      await model.dispose();

      expect(seen.length).toBeGreaterThan(10);
      expect(seen).toEqual(hooked);
      for (const source of seen) {
        for (const word of hostileNames(spec)) {
          expect(source).not.toContain(word);
        }
        // Numbers removed, every remaining identifier must be one the compiler writes.
        const words =
          source
            .replace(/\b[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?\b/g, ' ')
            .match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? [];
        for (const w of words)
          if (!allowed.has(w) && !allowedPattern.test(w))
            throw new Error(`unexpected identifier ${w} in\n${source}`);
      }

      // And the model still computes what the reference does, outputs under their own names.
      expect(Object.keys(got).sort()).toEqual([
        'Symbol',
        'eval',
        'hasOwnProperty',
        'then',
        'toString',
        'valueOf',
      ]);
      await expectOutputsConform(got, hostile, { label: `gpujs:${variant}` });
    },
  );
});

const tiny = (shape: (number | string)[] = ['batch', 6]): ModelSpec =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape } },
    outputs: { y: 'act' },
    nodes: [
      { id: 'fc', op: 'linear', inFeatures: 6, outFeatures: 5 },
      { id: 'act', op: 'tanh' },
    ],
  });

describe('checks', () => {
  test('weights are checked at compile (WeightError)', async () => {
    const backend = await createBackend();
    const weights = initWeights(tiny(), 1);
    weights.delete('fc.bias');
    await expect(backend.compile(tiny(), weights)).rejects.toThrow(WeightError);
  });

  test('bad inputs are InputErrors naming the tensor, thrown before any kernel is built', async () => {
    const create = vi.spyOn(GPU.prototype, 'createKernel');
    const model = await (await createBackend()).compile(tiny(), initWeights(tiny(), 1));
    await expect(model.run({ x: tensor('float32', [2, 7]) })).rejects.toThrow(
      /x.*dim 1 is 7, expected 6/,
    );
    await expect(model.run({ x: tensor('int32', [2, 6]) })).rejects.toThrow(InputError);
    await expect(model.run({})).rejects.toThrow(/x.*is missing/);
    expect(create).not.toHaveBeenCalled();
    await model.dispose();
  });

  test('a model input given as an output comes back exactly, int32 included', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { ids: { dtype: 'int32', shape: [3] } },
      outputs: { same: 'ids', rows: 'emb' },
      nodes: [{ id: 'emb', op: 'embedding', numEmbeddings: 4, embeddingDim: 2 }],
    });
    const weights = initWeights(spec, 1);
    const model = await (await createBackend()).compile(spec, weights);
    const ids = tensor('int32', [3], [3, 0, 3]);
    const got = await model.run({ ids });
    expect(got.same).toEqual(ids);
    expect(got.same.data).not.toBe(ids.data);
    const table = weights.get('emb.weight')!.data;
    expect(Array.from(got.rows.data)).toEqual([
      table[6],
      table[7],
      table[0],
      table[1],
      table[6],
      table[7],
    ]);
    await model.dispose();
  });

  test('a tensor over 2^23 elements is UnsupportedOpError: at compile for static shapes, at run otherwise', async () => {
    const backend = await createBackend();
    // 8193 · 1024 = 8,389,632 > 2^23 = 8,388,608.
    const big = (shape: (number | string)[]) =>
      parseSpec({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape } },
        outputs: { y: 'r' },
        nodes: [{ id: 'r', op: 'relu' }],
      });
    await expect(backend.compile(big([8193, 1024]), new Map())).rejects.toThrow(UnsupportedOpError);
    const model = await backend.compile(big(['n', 1024]), new Map());
    await expect(model.run({ x: tensor('float32', [8193, 1024]) })).rejects.toThrow(
      /8389632 elements is over this variant's limit of 8388608/,
    );
    const fine = await model.run({ x: tensor('float32', [8192, 1024]) });
    expect(fine.y.data.length).toBe(8192 * 1024);
    await model.dispose();
  });
});

describe('kernels and plans', () => {
  test('kernels are built once per model and bound shape, then reused', async () => {
    const sources: string[] = [];
    // One spec and weight seed, bound to each batch in turn: the cases differ in inputs only.
    const base = defineCase('rebound', {
      inputs: { x: { shape: ['batch', 6] } },
      nodes: [
        { id: 'fc', op: 'linear', inFeatures: 6, outFeatures: 5 },
        { id: 'act', op: 'tanh' },
      ],
    });
    const at = (batch: number): ConformanceCase => ({
      ...base,
      bindings: { batch },
      inputSeed: base.inputSeed + batch,
    });
    const { spec, weights } = materialise(at(2));
    const model = await (await createBackend({ variant: 'webasm' })).compile(spec, weights, {
      onKernelSource: (s: string) => sources.push(s),
    });
    for (const batch of [2, 2, 3, 2]) {
      const c = at(batch);
      await expectOutputsConform(await model.run(materialise(c).inputs), c, {
        label: 'gpujs:webasm',
      });
    }
    // linear and tanh, at batch 2 and batch 3.
    expect(sources).toHaveLength(4);
    await model.dispose();
    await expect(model.run(randomInputs(spec, { batch: 2 }, 1))).rejects.toThrow(/disposed/);
  });

  test('onKernelRun reports every kernel call of a run with its node, op, size and time', async () => {
    const runs: { nodeId: string; op: string; ms: number; outputs: number }[] = [];
    const spec = tiny();
    const model = await (await createBackend({ variant: 'webasm' })).compile(
      spec,
      initWeights(spec, 1),
      { onKernelRun: (k: (typeof runs)[number]) => runs.push(k) },
    );
    await model.run(randomInputs(spec, { batch: 3 }, 1));
    // One kernel per node here: linear then tanh, each with 3 × 5 outputs.
    expect(runs.map((k) => [k.nodeId, k.op, k.outputs])).toEqual([
      ['fc', 'linear', 15],
      ['act', 'tanh', 15],
    ]);
    for (const k of runs) expect(k.ms).toBeGreaterThanOrEqual(0);
    await model.run(randomInputs(spec, { batch: 3 }, 2));
    expect(runs).toHaveLength(4);
    await model.dispose();
  });

  test('compiling copies the weights: later changes do not reach the model', async () => {
    const spec = tiny([2, 6]);
    const weights = initWeights(spec, 1);
    const inputs = randomInputs(spec, {}, 1);
    const model = await (await createBackend()).compile(spec, weights);
    const before = await model.run(inputs);
    (weights.get('fc.weight')!.data as Float32Array).fill(0);
    expect((await model.run(inputs)).y.data).toEqual(before.y.data);
    await model.dispose();
  });
});
