// logSoftmax(x)_i = x_i - max x - log Σ_j e^(x_j - max x) along `dim`.
import { softmaxFamily } from './softmax.js';

export const logSoftmax = softmaxFamily(
  'logSoftmax',
  'nn.LogSoftmax: log(softmax(x)) along `dim`, computed stably (what NLLLoss and CTC read)',
  [{ input: { shape: [2, 3] }, node: {}, shape: [2, 3] }],
);
