// nn.GRU, gates (r, z, n) in PyTorch's row order:
// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h.
import { recurrentOp } from './recurrent.js';

export const gru = recurrentOp('gru', {});
