// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// the first `dim` features split into pairs (a, b), each turned by p·invFreq[j] at position p (the
// time index): a' = a·cos − b·sin, b' = b·cos + a·sin. Default pairing (rotate_half): a = x[:dim/2],
// b = x[dim/2:dim], sliced off the last axis; interleaved (GPT-J): a = x[2j], b = x[2j + 1], the
// even and odd lanes of x reshaped to [..., dim/2, 2]. The rest of the features are concatenated
// back unchanged. Only slices, concats, muls and adds, so gradients flow to x.
import * as tf from '@tensorflow/tfjs';
import { ropeFrequencies } from '@tessera/spec';
import type { Kernel } from './types.js';

export const rope: Kernel<'rope'> = {
  apply(node, [input]) {
    const x = input.logical;
    const [batch, heads, time, headDim] = x.shape;
    const half = node.dim / 2;
    const { cos, sin } = ropeTables(node, time);
    const rot = node.dim === headDim ? x : tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, node.dim]);
    let turned: tf.Tensor;
    if (node.interleaved) {
      // [b, h, t, dim] → [b, h, t, dim/2, 2]; the tables [t, dim/2, 1] broadcast over b, h.
      const pairs = tf.reshape(rot, [batch, heads, time, half, 2]);
      const a = tf.slice(pairs, [0, 0, 0, 0, 0], [-1, -1, -1, -1, 1]);
      const b = tf.slice(pairs, [0, 0, 0, 0, 1], [-1, -1, -1, -1, 1]);
      const c = tf.tensor3d(cos, [time, half, 1]);
      const s = tf.tensor3d(sin, [time, half, 1]);
      const both = tf.concat([turn(a, b, c, s, -1), turn(b, a, c, s, 1)], 4);
      turned = tf.reshape(both, [batch, heads, time, node.dim]);
    } else {
      const a = tf.slice(rot, [0, 0, 0, 0], [-1, -1, -1, half]);
      const b = tf.slice(rot, [0, 0, 0, half], [-1, -1, -1, half]);
      const c = tf.tensor2d(cos, [time, half]);
      const s = tf.tensor2d(sin, [time, half]);
      turned = tf.concat([turn(a, b, c, s, -1), turn(b, a, c, s, 1)], 3);
    }
    if (node.dim === headDim) return turned;
    const rest = tf.slice(x, [0, 0, 0, node.dim], [-1, -1, -1, headDim - node.dim]);
    return tf.concat([turned, rest], 3);
  },
};

/** u·cos + sign·v·sin. */
function turn(u: tf.Tensor, v: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor, sign: 1 | -1): tf.Tensor {
  const vs = tf.mul(v, sin);
  return sign === 1 ? tf.add(tf.mul(u, cos), vs) : tf.sub(tf.mul(u, cos), vs);
}

interface Tables {
  cos: Float32Array;
  sin: Float32Array;
}

// cos and sin of p·invFreq[j], [time, dim/2] row-major, computed in float64 once per
// (dim, theta, time) and kept as plain arrays (tf tensors would be freed by the caller's tidy);
// each run uploads them. A model sees few distinct lengths; the cache is cleared past 64.
const tables = new Map<string, Tables>();

export function ropeTables(a: { dim: number; theta: number }, time: number): Tables {
  const key = `${a.dim}/${a.theta}/${time}`;
  let t = tables.get(key);
  if (t === undefined) {
    const invFreq = ropeFrequencies(a);
    const half = a.dim / 2;
    t = { cos: new Float32Array(time * half), sin: new Float32Array(time * half) };
    for (let p = 0; p < time; p++) {
      for (let j = 0; j < half; j++) {
        t.cos[p * half + j] = Math.cos(p * invFreq[j]);
        t.sin[p * half + j] = Math.sin(p * invFreq[j]);
      }
    }
    if (tables.size >= 64) tables.clear();
    tables.set(key, t);
  }
  return t;
}
