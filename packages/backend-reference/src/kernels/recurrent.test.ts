import { initWeights, parseSpec, type Tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { evaluate, expectClose, f32 } from '../../test/harness.js';
import { compileReference } from '../compile.js';

describe('lstm', () => {
  it('matches a 2-step case worked by hand', () => {
    // inputSize 1, hiddenSize 1. Rows in gate order i, f, g, o:
    //   W_ih = [0.5, 0, 1, 0], W_hh = [0, 0, 1, 0], b_ih = 0, b_hh = [0, 2, 0, -1]; x = [1, -2].
    // t=1 (h0 = c0 = 0): pre = (0.5, 2, 1, -1)
    //   c1 = σ(2)·0 + σ(0.5)·tanh(1) = 0.62246·0.76159 = 0.47406138896346633
    //   h1 = σ(-1)·tanh(c1) = 0.26894·0.44147 = 0.11873091230058776
    // t=2: pre = (0.5·-2, 2, -2 + h1, -1) = (-1, 2, -1.88127, -1)
    //   c2 = σ(2)·c1 + σ(-1)·tanh(-2 + h1) = 0.88080·0.47406 + 0.26894·(-0.95487) = 0.1608190995756834
    //   h2 = σ(-1)·tanh(c2) = 0.26894·0.15945 = 0.04288187154709673
    const out = evaluate(
      [{ id: 'cell', op: 'lstm', inputSize: 1, hiddenSize: 1 }],
      { x: f32([1, 2, 1], [1, -2]) },
      {
        'cell.weight_ih_l0': [0.5, 0, 1, 0],
        'cell.weight_hh_l0': [0, 0, 1, 0],
        'cell.bias_ih_l0': [0, 0, 0, 0],
        'cell.bias_hh_l0': [0, 2, 0, -1],
      },
      { y: 'cell', h: 'cell:h_n', c: 'cell:c_n' },
    );
    expect(out.y.shape).toEqual([1, 2, 1]);
    expectClose(out.y.data, [0.11873091230058776, 0.04288187154709673], 1e-15);
    expect(out.h.shape).toEqual([1, 1, 1]);
    expectClose(out.h.data, [0.04288187154709673], 1e-15);
    expectClose(out.c.data, [0.1608190995756834], 1e-15);
  });
});

describe('gru', () => {
  it('matches a 2-step case worked by hand', () => {
    // Rows r, z, n: W_ih = [1, 0, 1], W_hh = [0, 0, 2], b_ih = [0, 1, 0], b_hh = [0, 0, 0.5]; x = [1, 0.5].
    // t=1 (h0 = 0): r = σ(1) = 0.7310585786300049, z = σ(1),
    //   n = tanh(1 + r·(2·0 + 0.5)) = tanh(1.36553) = 0.877669306801747,
    //   h1 = (1 - z)·n + z·0 = 0.26894·0.87767 = 0.23604163086408017
    // t=2: r = σ(0.5) = 0.6224593312018546, z = σ(1),
    //   n = tanh(0.5 + r·(2·h1 + 0.5)) = tanh(0.5 + 0.62246·0.97208) = tanh(1.10508) = 0.8023171769316847,
    //   h2 = (1 - z)·n + z·h1 = 0.26894·0.80232 + 0.73106·0.23604 = 0.3883365811105719
    const out = evaluate(
      [{ id: 'g', op: 'gru', inputSize: 1, hiddenSize: 1 }],
      { x: f32([1, 2, 1], [1, 0.5]) },
      {
        'g.weight_ih_l0': [1, 0, 1],
        'g.weight_hh_l0': [0, 0, 2],
        'g.bias_ih_l0': [0, 1, 0],
        'g.bias_hh_l0': [0, 0, 0.5],
      },
      { y: 'g', h: 'g:h_n' },
    );
    expectClose(out.y.data, [0.23604163086408017, 0.3883365811105719], 1e-15);
    expectClose(out.h.data, [0.3883365811105719], 1e-15);
  });

  it('keeps its state while the update gate is 1', () => {
    // z = σ(-1000·x + 1000): x = 2 gives z = 0 (h1 = n1 = tanh(0.5·2)); x = 0 gives z = 1 (h_t = h_{t-1}).
    const out = evaluate(
      [{ id: 'g', op: 'gru', inputSize: 1, hiddenSize: 1 }],
      { x: f32([1, 5, 1], [2, 0, 0, 0, 0]) },
      {
        'g.weight_ih_l0': [0, -1000, 0.5],
        'g.weight_hh_l0': [0, 0, 0],
        'g.bias_ih_l0': [0, 1000, 0],
        'g.bias_hh_l0': [0, 0, 0],
      },
    );
    expectClose(out.out.data, new Array(5).fill(Math.tanh(1)), 1e-15);
  });
});

describe('rnn', () => {
  it('matches a 2-step tanh case worked by hand', () => {
    // (Weights are float32, so the values are chosen exact in binary.)
    // h1 = tanh(0.5·1 + 0.125) = tanh(0.625) = 0.5545997223493823
    // h2 = tanh(0.5·2 - 1·h1 + 0.125) = tanh(0.57040) = 0.5156531831967308
    const out = evaluate(
      [{ id: 'r', op: 'rnn', inputSize: 1, hiddenSize: 1 }],
      { x: f32([1, 2, 1], [1, 2]) },
      {
        'r.weight_ih_l0': [0.5],
        'r.weight_hh_l0': [-1],
        'r.bias_ih_l0': [0.125],
        'r.bias_hh_l0': [0],
      },
    );
    expectClose(out.out.data, [0.5545997223493823, 0.5156531831967308], 1e-15);
  });

  it('relu clamps and has no bias when bias is false', () => {
    // hidden 2, W_ih = [[1], [-1]], W_hh = [[1, 0], [0, 1]]; x = [3, -1]:
    // h1 = relu([3, -3]) = [3, 0]; h2 = relu([-1 + 3, 1 + 0]) = [2, 1].
    const out = evaluate(
      [{ id: 'r', op: 'rnn', inputSize: 1, hiddenSize: 2, nonlinearity: 'relu', bias: false }],
      { x: f32([1, 2, 1], [3, -1]) },
      { 'r.weight_ih_l0': [1, -1], 'r.weight_hh_l0': [1, 0, 0, 1] },
    );
    expectClose(out.out.data, [3, 0, 2, 1], 0);
  });

  it('stacks two layers: layer 1 reads layer 0 outputs, h_n is [layer0, layer1]', () => {
    // hidden 1, relu, identity-ish weights: layer 0 h = relu(x + h), layer 1 h = relu(2·h0_t).
    // x = [1, 2]: layer 0 → [1, 3]; layer 1 → [2, 6]; h_n = [[3], [6]].
    const out = evaluate(
      [
        {
          id: 'r',
          op: 'rnn',
          inputSize: 1,
          hiddenSize: 1,
          numLayers: 2,
          nonlinearity: 'relu',
          bias: false,
        },
      ],
      { x: f32([1, 2, 1], [1, 2]) },
      {
        'r.weight_ih_l0': [1],
        'r.weight_hh_l0': [1],
        'r.weight_ih_l1': [2],
        'r.weight_hh_l1': [0],
      },
      { y: 'r', h: 'r:h_n' },
    );
    expectClose(out.y.data, [2, 6], 0);
    expect(out.h.shape).toEqual([2, 1, 1]);
    expectClose(out.h.data, [3, 6], 0);
  });
});

describe('bidirectional recurrences', () => {
  for (const op of ['rnn', 'lstm', 'gru'] as const) {
    it(`${op}: the reverse half equals a forward pass over the reversed input, reversed`, () => {
      const [batch, time, inputSize, hidden] = [2, 4, 3, 5];
      const bi = parseSpec({
        format: 'tessera.model/v1',
        inputs: { x: { dtype: 'float32', shape: [batch, time, inputSize] } },
        outputs: { y: 'r', h: 'r:h_n' },
        nodes: [{ id: 'r', op, inputSize, hiddenSize: hidden, bidirectional: true }],
      });
      const uni = parseSpec({ ...bi, nodes: [{ id: 'r', op, inputSize, hiddenSize: hidden }] });
      const wBi = initWeights(bi, 11);
      // The unidirectional model gets the _reverse weights under the forward names.
      const wUni = new Map(
        [...wBi]
          .filter(([k]) => k.endsWith('_reverse'))
          .map(([k, v]) => [k.replace('_reverse', ''), v]),
      );
      const x = f32(
        [batch, time, inputSize],
        Array.from({ length: batch * time * inputSize }, (_, i) => Math.sin(i)),
      );
      const reversed = reverseTime(x);
      const yBi = compileReference(bi, wBi).runFloat64({ x });
      const yUni = compileReference(uni, wUni).runFloat64({ x: reversed });
      for (let b = 0; b < batch; b++) {
        for (let t = 0; t < time; t++) {
          const back = yBi.y.data.subarray(
            ((b * time + t) * 2 + 1) * hidden,
            ((b * time + t) * 2 + 2) * hidden,
          );
          const fwd = yUni.y.data.subarray(
            (b * time + (time - 1 - t)) * hidden,
            (b * time + (time - 1 - t) + 1) * hidden,
          );
          expectClose(back, fwd, 0);
        }
      }
      // h_n[1] (direction 1 of layer 0) is the reverse pass's final state.
      expectClose(yBi.h.data.subarray(batch * hidden), yUni.h.data, 0);
    });
  }
});

function reverseTime(x: Tensor): Tensor {
  const [batch, time, width] = x.shape;
  const data = new Float32Array(x.data.length);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      data.set(
        x.data.subarray((b * time + t) * width, (b * time + t + 1) * width),
        (b * time + (time - 1 - t)) * width,
      );
    }
  }
  return { dtype: 'float32', shape: [...x.shape], data };
}
