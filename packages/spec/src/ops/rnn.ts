// nn.RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act = tanh or relu.
import { z } from 'zod';
import { recurrentOp } from './recurrent.js';

export const rnn = recurrentOp('rnn', { nonlinearity: z.enum(['tanh', 'relu']).default('tanh') });
