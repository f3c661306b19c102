// nn.LSTM cell, gate rows in PyTorch's order i, f, g, o (each H rows of the 4H):
//   i = σ(·), f = σ(·), g = tanh(·), o = σ(·) of W_ih x_t + b_ih + W_hh h_{t-1} + b_hh,
//   c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t).
import { matVec, recurrentKernel } from './recurrent.js';
import { sigmoidScalar as sigmoid } from './unary.js';

export const lstm = recurrentKernel<'lstm'>(
  () => (x, prev, w, hidden) => {
    const gi = matVec(w.wIh, x, w.bIh);
    const gh = matVec(w.wHh, prev.h, w.bHh);
    const pre = (gate: number, j: number) => gi[gate * hidden + j] + gh[gate * hidden + j];
    const h = new Float64Array(hidden);
    const c = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      const i = sigmoid(pre(0, j));
      const f = sigmoid(pre(1, j));
      const g = Math.tanh(pre(2, j));
      const o = sigmoid(pre(3, j));
      c[j] = f * prev.c![j] + i * g;
      h[j] = o * Math.tanh(c[j]);
    }
    return { h, c };
  },
  true,
);
