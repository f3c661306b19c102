// Rotary position embedding on [batch, heads, time, headDim] (formula in the spec's ops/rope.ts):
// the first `dim` features split into pairs (a, b), each turned by p·invFreq[j] at position p (the
// time index): a' = a·cos − b·sin, b' = b·cos + a·sin. Default pairing (rotate_half): a = x[:dim/2],
// b = x[dim/2:dim], sliced off the last axis; interleaved (GPT-J): a = x[2j], b = x[2j + 1], the
// even and odd lanes of x reshaped to [..., dim/2, 2]. The rest of the features are concatenated
// back unchanged. Only slices, concats, muls and adds, so gradients flow to x. An optional second
// input, int32 [1], is the position of time index 0 (a decoder's step): p = offset + t.
import * as tf from '@tensorflow/tfjs';
import { ropeFrequencies } from '@tessera/spec';
import type { Kernel } from './types.js';
import { positionOf } from './value.js';

export const rope: Kernel<'rope'> = {
  apply(node, [input, offset]) {
    const x = input.logical;
    const [batch, heads, time, headDim] = x.shape;
    const half = node.dim / 2;
    const { cos, sin } = ropeTables(node, positionOf(offset), time);
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

// cos and sin of p·invFreq[j] for p from 0, [positions, dim/2] row-major, computed in float64 once
// per (dim, theta) and grown by doubling as later positions are asked for; kept as plain arrays
// (tf tensors would be freed by the caller's tidy); each run uploads the rows it needs. The cache
// is cleared past 64 (dim, theta) pairs.
const tables = new Map<string, Tables>();

/** Rows [from, from + time) of the tables (views, not copies). */
export function ropeTables(a: { dim: number; theta: number }, from: number, time: number): Tables {
  const key = `${a.dim}/${a.theta}`;
  const half = a.dim / 2;
  const end = from + time;
  // A negative offset (never a decoder's) turns by negative angles: rows of their own, uncached.
  if (from < 0) return angles(ropeFrequencies(a), from, time);
  let t = tables.get(key);
  if (t === undefined || t.cos.length < end * half) {
    const have = t === undefined ? 0 : t.cos.length / half;
    const more = angles(ropeFrequencies(a), have, Math.max(end, 2 * have, 16) - have);
    const grown: Tables = {
      cos: new Float32Array(have * half + more.cos.length),
      sin: new Float32Array(have * half + more.sin.length),
    };
    if (t !== undefined) {
      grown.cos.set(t.cos);
      grown.sin.set(t.sin);
    }
    grown.cos.set(more.cos, have * half);
    grown.sin.set(more.sin, have * half);
    if (t === undefined && tables.size >= 64) tables.clear();
    tables.set(key, grown);
    t = grown;
  }
  return {
    cos: t.cos.subarray(from * half, end * half),
    sin: t.sin.subarray(from * half, end * half),
  };
}

/** cos and sin of p·invFreq[j] for p in [from, from + count), computed in float64. */
function angles(invFreq: readonly number[], from: number, count: number): Tables {
  const half = invFreq.length;
  const out: Tables = { cos: new Float32Array(count * half), sin: new Float32Array(count * half) };
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < half; j++) {
      out.cos[i * half + j] = Math.cos((from + i) * invFreq[j]);
      out.sin[i * half + j] = Math.sin((from + i) * invFreq[j]);
    }
  }
  return out;
}
