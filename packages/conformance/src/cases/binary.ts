// add and mul share their cases: equal shapes, NumPy broadcasting both ways, and a join of two
// branches of one graph.
import type { ConformanceCase } from '../case.js';
import { defineCase, seq, seqBindings } from './define.js';

export function binaryVariants(op: 'add' | 'mul'): ConformanceCase[] {
  return [
    defineCase(`${op}/same-shape`, {
      inputs: { a: { shape: seq(7) }, b: { shape: seq(7) } },
      nodes: [{ id: 'op', op, input: ['a', 'b'] }],
      bindings: seqBindings(),
    }),
    defineCase(`${op}/broadcast-vector`, {
      description: '[B, T, 7] with [7]',
      inputs: { a: { shape: seq(7) }, b: { shape: [7] } },
      nodes: [{ id: 'op', op, input: ['a', 'b'] }],
      bindings: seqBindings(),
    }),
    defineCase(`${op}/broadcast-both`, {
      description: '[B, 1, 5] with [3, 1]: both sides stretch',
      inputs: { a: { shape: ['batch', 1, 5] }, b: { shape: [3, 1] } },
      nodes: [{ id: 'op', op, input: ['a', 'b'] }],
      bindings: { batch: 2 },
    }),
    defineCase(`${op}/branches`, {
      description: 'a residual-style join of a node with its own input',
      inputs: { x: { shape: seq(6) } },
      nodes: [
        { id: 'fc', op: 'linear', inFeatures: 6, outFeatures: 6 },
        { id: 'op', op, input: ['fc', 'x'] },
      ],
      bindings: seqBindings(),
    }),
    defineCase(`${op}/keepdim-broadcast`, {
      description: 'x with mean(x, -1, keepdim): [B, T, 5] with [B, T, 1]',
      inputs: { x: { shape: seq(5) } },
      nodes: [
        { id: 'm', op: 'mean', dim: -1, keepdim: true },
        { id: 'op', op, input: ['x', 'm'] },
      ],
      bindings: seqBindings(),
    }),
  ];
}
