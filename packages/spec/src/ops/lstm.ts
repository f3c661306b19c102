// nn.LSTM, gates (i, f, g, o) in PyTorch's row order:
// i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(...), g = tanh(...), o = σ(...),
// c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
import { recurrentOp } from './recurrent.js';

export const lstm = recurrentOp('lstm', {});
