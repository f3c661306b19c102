// nn.RNN cell: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act = tanh or relu.
import { matVec, recurrentKernel } from './recurrent.js';

export const rnn = recurrentKernel<'rnn'>((node) => {
  const act = node.nonlinearity === 'relu' ? (v: number) => Math.max(0, v) : Math.tanh;
  return (x, prev, w, hidden) => {
    const gi = matVec(w.wIh, x, w.bIh);
    const gh = matVec(w.wHh, prev.h, w.bHh);
    const h = new Float64Array(hidden);
    for (let j = 0; j < hidden; j++) h[j] = act(gi[j] + gh[j]);
    return { h };
  };
}, false);
