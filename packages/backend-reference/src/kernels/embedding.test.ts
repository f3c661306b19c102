import { InputError, type NodeOf } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32, i32 } from '../../test/harness.js';
import { embedding } from './embedding.js';
import type { KernelContext } from './types.js';

describe('embedding', () => {
  it('picks rows of the table', () => {
    // Table rows [0, 1], [10, 11], [20, 21]; ids [[2, 0], [1, 1]].
    const out = evaluate(
      [{ id: 'e', op: 'embedding', numEmbeddings: 3, embeddingDim: 2 }],
      { ids: i32([2, 2], [2, 0, 1, 1]) },
      {
        'e.weight': [0, 1, 10, 11, 20, 21],
      },
    );
    expect(out.out.shape).toEqual([2, 2, 2]);
    expectClose(out.out.data, [20, 21, 0, 1, 10, 11, 10, 11], 0);
  });

  it('the kernel itself refuses an out-of-range id with an InputError naming the input', () => {
    const ctx: KernelContext = {
      weight: () => ({ shape: [3, 1], data: new Float64Array(3) }),
      optionalWeight: () => undefined,
    };
    const node: NodeOf<'embedding'> = {
      id: 'e',
      op: 'embedding',
      input: ['ids'],
      numEmbeddings: 3,
      embeddingDim: 1,
    };
    expect(() => embedding(node, [{ shape: [2], data: Float64Array.from([0, 3]) }], ctx)).toThrow(
      InputError,
    );
    expect(() => embedding(node, [{ shape: [1], data: Float64Array.from([-1]) }], ctx)).toThrow(
      /ids: id -1 at flat index 0/,
    );
  });
});

describe('positionalEmbedding', () => {
  it('sinusoidal values, d = 4', () => {
    // 10000^(2/4) = 100. P[0] = [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1];
    // P[1] = [sin 1, cos 1, sin 0.01, cos 0.01]; P[2] = [sin 2, cos 2, sin 0.02, cos 0.02].
    const out = evaluate(
      [{ id: 'p', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 8, embeddingDim: 4 }],
      {
        x: f32([1, 3, 4], new Array(12).fill(0)),
      },
    );
    expectClose(
      out.out.data,
      [
        0, 1, 0, 1, 0.8414709848078965, 0.5403023058681398, 0.009999833334166664,
        0.9999500004166653, 0.9092974268256817, -0.4161468365471424, 0.01999866669333308,
        0.9998000066665778,
      ],
      1e-16,
    );
  });

  it('sinusoidal with odd d: the last column is a sine', () => {
    // d = 3, t = 0: [0, 1, 0]; t = 1 (input 1): 1 + [sin 1, cos 1, sin(1/10000^(2/3))] = [.., .., sin(0.0021544346900318843)] = 0.0021544330233656045.
    const out = evaluate(
      [{ id: 'p', op: 'positionalEmbedding', kind: 'sinusoidal', maxLength: 2, embeddingDim: 3 }],
      {
        x: f32([1, 2, 3], [0, 0, 0, 1, 1, 1]),
      },
    );
    expectClose(
      out.out.data,
      [0, 1, 0, 1 + 0.8414709848078965, 1 + 0.5403023058681398, 1 + 0.0021544330233656045],
      1e-15,
    );
  });

  it('learned adds rows of the weight by time step, the same for every batch', () => {
    const out = evaluate(
      [{ id: 'p', op: 'positionalEmbedding', maxLength: 3, embeddingDim: 1 }],
      { x: f32([2, 2, 1], [1, 2, 3, 4]) },
      {
        'p.weight': [10, 20, 30],
      },
    );
    expectClose(out.out.data, [11, 22, 13, 24], 0);
  });
});
