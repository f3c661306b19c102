// Where the tfjs compiler puts the work: the transposes of the channels-last layout, the fused
// relus, the matMuls of attention and of the recurrences, counted in tfjs's own profile. Whether
// the graphs behind these paths compute the right numbers (convolutions tfjs cannot run directly,
// as conv2d/depthwise-stride-dilation; mixed layouts, as add/conv-plus-input or mul/squeeze-excite)
// is for the conformance catalogue, which test/conformance.test.ts runs.
import * as tf from '@tensorflow/tfjs';
import {
  defaultBindings,
  initWeights,
  type ModelSpec,
  type NodeInput,
  randomInputs,
  type Tensor,
  tensor,
} from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { createBackend, forward, prepareWeights } from '../src/index.js';
import { CHUNK } from '../src/kernels/recurrent.js';
import { spec } from './helpers.js';

const image = (c: number, h: number, w: number) => ({
  x: { dtype: 'float32' as const, shape: ['batch', c, h, w] },
});
const graph = (
  inputs: ReturnType<typeof image>,
  nodes: NodeInput[],
  outputs?: Record<string, string>,
) => spec({ inputs, outputs: outputs ?? { y: nodes[nodes.length - 1].id }, nodes });

/** The kernels tfjs runs for one forward pass of `model`. */
async function kernelNames(
  model: ModelSpec,
  bindings: Record<string, number>,
  given: Record<string, Tensor> = {},
): Promise<string[]> {
  await createBackend({ variant: 'cpu' });
  const weights = initWeights(model, 1);
  const inputs = { ...randomInputs(model, defaultBindings(model, bindings), 2), ...given };
  const raw = new Map([...weights].map(([k, t]) => [k, tf.tensor(t.data, t.shape)]));
  const prepared = prepareWeights(model, raw);
  const feeds = Object.fromEntries(
    Object.entries(inputs).map(([k, t]) => [
      k,
      tf.tensor(t.data, t.shape, t.dtype as 'float32' | 'int32'),
    ]),
  );
  const info = await tf.profile(() =>
    tf.tidy(() => Object.values(forward(model, prepared, feeds))),
  );
  tf.dispose([...raw.values(), ...prepared.values(), ...Object.values(feeds)]);
  return info.kernels.map((k) => k.name);
}

/** The standalone relus among tfjs's kernels: the relu kernel is a Maximum (src/kernels/relu.ts). */
const relus = (names: string[]) => names.filter((n) => n === 'Maximum' || n === 'Relu');

describe('where the work happens', () => {
  test('a conv/bn/relu/pool/add/mul stack transposes only at its two boundaries', async () => {
    const model = graph(image(3, 8, 8), [
      {
        id: 'c1',
        op: 'conv2d',
        input: 'x',
        inChannels: 3,
        outChannels: 4,
        kernelSize: 3,
        padding: 1,
      },
      { id: 'bn1', op: 'batchNorm', numFeatures: 4 },
      { id: 'r1', op: 'relu' },
      { id: 'c2', op: 'conv2d', inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1 },
      { id: 'sum', op: 'add', input: ['c2', 'r1'] },
      { id: 'g', op: 'globalAvgPool', input: 'sum' },
      { id: 'gate', op: 'sigmoid' },
      { id: 'scaled', op: 'mul', input: ['sum', 'gate'] },
      { id: 'p', op: 'maxPool2d', kernelSize: 2 },
      { id: 'a', op: 'avgPool2d', kernelSize: 2 },
      { id: 'f', op: 'flatten' },
    ]);
    const names = await kernelNames(model, { batch: 2 });
    expect(names.filter((n) => n === 'Transpose')).toHaveLength(2);
  });

  test('a relu after a conv or linear that nothing else reads runs inside its fused kernel', async () => {
    const model = graph(image(2, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r1', op: 'relu' },
      { id: 'f', op: 'flatten' },
      { id: 'fc', op: 'linear', inFeatures: 48, outFeatures: 4 },
      { id: 'r2', op: 'relu' },
    ]);
    expect(relus(await kernelNames(model, { batch: 2 }))).toEqual([]);
    // Read twice, the conv's output must stay as it is: the relu runs on its own.
    const shared = graph(image(2, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 3 },
      { id: 'r', op: 'relu' },
      { id: 's', op: 'add', input: ['r', 'c'] },
    ]);
    expect(relus(await kernelNames(shared, { batch: 2 }))).toHaveLength(1);
  });

  test("a transformer layer's feed-forward relu fuses into linear1 once the layer is lowered", async () => {
    const model = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 4] } },
      outputs: { y: 'block' },
      nodes: [
        {
          id: 'block',
          op: 'transformerEncoderLayer',
          dModel: 4,
          nhead: 2,
          dimFeedforward: 8,
          activation: 'relu',
        },
      ],
    });
    const names = await kernelNames(model, { batch: 2, time: 3 });
    expect(relus(names)).toEqual([]);
    // in_proj, linear1 (with the relu), linear2, out_proj; scores and context.
    expect(names.filter((n) => n === '_FusedMatMul')).toHaveLength(4);
    expect(names.filter((n) => n === 'BatchMatMul')).toHaveLength(2);
  });

  test('moving a channel axis of size 1 is a reshape, not a transpose', async () => {
    const model = graph(image(1, 6, 6), [
      { id: 'c', op: 'conv2d', input: 'x', inChannels: 1, outChannels: 1, kernelSize: 3 },
      { id: 'f', op: 'flatten' },
    ]);
    expect(await kernelNames(model, { batch: 2 })).not.toContain('Transpose');
  });

  test('a recurrence projects its inputs in one matMul per CHUNK steps, per layer and direction', async () => {
    const t = CHUNK + 3;
    const model = spec({
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
      outputs: { y: 'l' },
      nodes: [
        { id: 'l', op: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
      ],
    });
    const names = await kernelNames(model, { batch: 2, time: t });
    const matMuls = names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul');
    // Per layer, direction and gate (4 for lstm): 2 input projections (CHUNK steps, then 3)
    // and T − 1 recurrent matMuls (step 0 starts from h = 0).
    expect(matMuls).toHaveLength(2 * 2 * 4 * (2 + (t - 1)));
  });

  test('with lengths, only the reverse direction selects, and only at steps some rows lack', async () => {
    const t = 6;
    const lstm = (lengths: boolean) =>
      spec({
        inputs: {
          x: { dtype: 'float32', shape: ['batch', 'time', 3] },
          ...(lengths ? { len: { dtype: 'int32' as const, shape: ['batch'] } } : {}),
        },
        outputs: { y: 'l', h: 'l:h_n', c: 'l:c_n' },
        nodes: [
          {
            id: 'l',
            op: 'lstm',
            input: 'x',
            inputSize: 3,
            hiddenSize: 4,
            numLayers: 2,
            bidirectional: true,
            ...(lengths ? { lengths: 'len' } : {}),
          },
        ],
      });
    const count = (names: string[], kernel: string) => names.filter((n) => n === kernel).length;
    const matMuls = (names: string[]) =>
      names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul').length;
    const plain = await kernelNames(lstm(false), { batch: 3, time: t });
    const packed = (lengths: number[]) =>
      kernelNames(lstm(true), { batch: 3, time: t }, { len: tensor('int32', [3], lengths) });
    expect(count(plain, 'Select')).toBe(0);

    // Lengths 2..5 of 6: step 5 is run by no row; steps 2, 3, 4 are valid in some rows only.
    const ragged = await packed([5, 2, 4]);
    // Reverse steps 2..4 × (h, c) × 2 layers, and one select zeroing the output's padding.
    expect(count(ragged, 'Select')).toBe(3 * 2 * 2 + 1);
    // The forward direction's h_n and c_n, per layer.
    expect(count(ragged, 'GatherV2')).toBe(2 * 2);
    // Per layer, direction and gate: T − 1 recurrent matMuls without lengths, one fewer here.
    expect(matMuls(plain) - matMuls(ragged)).toBe(2 * 2 * 4);

    // Every row at full length: the plain run's kernels, nothing masked or gathered.
    const full = await packed([t, t, t]);
    expect(count(full, 'Select') + count(full, 'GatherV2')).toBe(0);
    expect(matMuls(full)).toBe(matMuls(plain));
  });
});
