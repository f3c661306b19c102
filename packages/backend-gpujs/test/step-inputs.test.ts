// The op inputs a decoder's step spec feeds, on their own: rope's and positionalEmbedding's
// int32 position offset and the recurrences' initial state h_0 (c_0), against the reference's
// float64 run within the conformance tolerance. The offsets take values no prompt reaches.
import { compileReference } from '@tessera/backend-reference';
import { compareTensors, defaultTolerance } from '@tessera/conformance';
import {
  InputError,
  initWeights,
  type NodeInput,
  parseSpec,
  randomInputs,
  type Tensor,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { createBackend, type Variant } from '../src/index.js';

const variants: Variant[] = ['cpu', 'webasm'];

const position = (p: number): Tensor => ({ dtype: 'int32', shape: [1], data: Int32Array.of(p) });

function specOf(
  x: number[],
  node: NodeInput,
  extra: Record<string, { dtype: 'float32' | 'int32'; shape: number[] }>,
  outputs: Record<string, string> = { y: 'n' },
) {
  return parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape: x }, ...extra },
    outputs,
    nodes: [{ ...node, id: 'n', input: ['x', ...Object.keys(extra)] }],
  });
}

async function expectMatchesReference(
  variant: Variant,
  spec: ReturnType<typeof parseSpec>,
  inputs: Record<string, Tensor>,
) {
  const weights = initWeights(spec, 5, { randomizeConstants: true });
  const reference = compileReference(spec, weights);
  const want = reference.runFloat64(inputs);
  const model = await (await createBackend({ variant })).compile(spec, weights);
  const got = await model.run(inputs);
  for (const name of Object.keys(spec.outputs))
    expect(compareTensors(got[name], want[name], defaultTolerance), name).toMatchObject({
      ok: true,
    });
  await model.dispose();
  await reference.dispose();
}

describe.each(variants)('step inputs on gpujs:%s', (variant) => {
  it('rope turns by offset + t (rotate_half, and partial interleaved)', async () => {
    for (const node of [
      { op: 'rope', dim: 4 },
      { op: 'rope', dim: 2, interleaved: true, theta: 500000 },
    ] as NodeInput[]) {
      const spec = specOf([2, 3, 2, 6], node, { offset: { dtype: 'int32', shape: [1] } });
      const [x] = Object.values(randomInputs(specOf([2, 3, 2, 6], node, {}), {}, 2));
      for (const p of [0, 7, 1000])
        await expectMatchesReference(variant, spec, { x, offset: position(p) });
    }
  });

  it('positionalEmbedding adds P[offset : offset + T], learned and sinusoidal', async () => {
    for (const kind of ['learned', 'sinusoidal'] as const) {
      const node = { op: 'positionalEmbedding', kind, maxLength: 9, embeddingDim: 4 } as NodeInput;
      const spec = specOf([2, 3, 4], node, { offset: { dtype: 'int32', shape: [1] } });
      const [x] = Object.values(randomInputs(specOf([2, 3, 4], node, {}), {}, 3));
      for (const p of [0, 4, 6])
        await expectMatchesReference(variant, spec, { x, offset: position(p) });
      // 7 + 3 steps pass maxLength 9: an InputError naming the offset input.
      const model = await (await createBackend({ variant })).compile(spec, initWeights(spec, 1));
      await expect(model.run({ x, offset: position(7) })).rejects.toThrow(InputError);
      await expect(model.run({ x, offset: position(7) })).rejects.toThrow(/offset.*maxLength 9/);
      await model.dispose();
    }
  });

  it('rnn, gru and lstm start from h_0 (and c_0), 2 layers, both directions', async () => {
    for (const op of ['rnn', 'gru', 'lstm'] as const) {
      const state = { dtype: 'float32' as const, shape: [4, 2, 3] };
      const extra: Record<string, typeof state> =
        op === 'lstm' ? { h0: state, c0: state } : { h0: state };
      const node = {
        op,
        inputSize: 5,
        hiddenSize: 3,
        numLayers: 2,
        bidirectional: true,
      } as NodeInput;
      const outputs: Record<string, string> = { y: 'n', h: 'n:h_n' };
      if (op === 'lstm') outputs.c = 'n:c_n';
      const spec = specOf([2, 4, 5], node, extra, outputs);
      await expectMatchesReference(variant, spec, randomInputs(spec, {}, 4));
    }
  });
});
