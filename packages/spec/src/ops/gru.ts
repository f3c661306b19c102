// nn.GRU, gates (r, z, n) in PyTorch's row order:
// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h.
import { recurrentOp } from './recurrent.js';

export const gru = recurrentOp(
  'gru',
  {},
  {
    summary:
      'nn.GRU(batch_first=True) on [batch, time, inputSize], gates r z n; port h_n, and h_0 as an optional second input',
    examples: [
      {
        input: { shape: [4, 7, 3] },
        node: { inputSize: 3, hiddenSize: 2, bias: false },
        shape: [4, 7, 2],
        ports: { h_n: [1, 4, 2] },
        weights: { 'n.weight_ih_l0': [6, 3], 'n.weight_hh_l0': [6, 2] },
      },
    ],
  },
);
