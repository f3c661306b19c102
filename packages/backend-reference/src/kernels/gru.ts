// nn.GRU cell, gate rows in PyTorch's order r, z, n:
//   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}.
import { matVec, recurrentKernel } from './recurrent.js';
import { sigmoidScalar as sigmoid } from './unary.js';

export const gru = recurrentKernel<'gru'>(
  () => (x, prev, w, hidden) => {
    const gi = matVec(w.wIh, x, w.bIh);
    const gh = matVec(w.wHh, prev.h, w.bHh);
    const h = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) {
      const r = sigmoid(gi[j] + gh[j]);
      const z = sigmoid(gi[hidden + j] + gh[hidden + j]);
      const n = Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
      h[j] = (1 - z) * n + z * prev.h[j];
    }
    return { h };
  },
  false,
);
