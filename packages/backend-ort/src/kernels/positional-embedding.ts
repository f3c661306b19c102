// x + P[:T]. P is the learned weight, or the sinusoidal table computed here in float64:
// P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(t / 10000^(2i/d)). When T is known at
// compile time only P[:T] is stored; otherwise P[:T] is sliced by Shape(x)[1] at run time. With
// the optional int32 [1] second input (a decoder step's position) the rows are P[offset :
// offset + T], sliced at run time from the whole table (the sinusoidal one too: its float64 rows
// are the ones a full pass adds). Nothing in the graph can refuse offset + T past maxLength:
// Slice clamps, and the Add then fails or broadcasts a short table; the decoder checks its
// maxLength against the table before any step (a run given the offset directly is unchecked).
import { elemType } from '../graph-builder.js';
import type { Emitter } from './types.js';

export function sinusoidalTable(maxLength: number, d: number): Float32Array {
  const p = new Float32Array(maxLength * d);
  for (let t = 0; t < maxLength; t++) {
    for (let j = 0; j < d; j++) {
      const angle = t / 10000 ** ((2 * Math.floor(j / 2)) / d);
      p[t * d + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return p;
}

export const positionalEmbedding: Emitter<'positionalEmbedding'> = ({
  b,
  inputs: [x, offset],
  hint,
  node,
  inShapes,
  weight,
}) => {
  const { maxLength, embeddingDim: d } = node;
  const learned = node.kind === 'learned' ? weight('weight') : undefined;
  const table =
    learned === undefined ? sinusoidalTable(maxLength, d) : (learned.data as Float32Array);
  const t = inShapes[0].shape[1];
  if (typeof t === 'number' && offset === undefined) {
    const rows = table.slice(0, t * d);
    // A learned table's first rows are named after it (`pos.weight.sliced`).
    const init =
      learned === undefined
        ? b.floatInit(`${hint}_table`, [t, d], rows)
        : b.derivedInit(learned, '.sliced', `${hint}_table`, [t, d], rows);
    return b.op1('Add', [x, init], hint);
  }
  const full =
    learned === undefined
      ? b.floatInit(`${hint}_table`, [maxLength, d], table)
      : b.tensorInit(`${hint}_table`, learned);
  const len =
    typeof t === 'number'
      ? b.i64([t])
      : b.op1('Shape', [x], `${hint}_time`, { start: { int: 1 }, end: { int: 2 } });
  let start = b.i64([0]);
  let end = len;
  if (offset !== undefined) {
    start = b.op1('Cast', [offset], `${hint}_start`, { to: { int: elemType('int64') } });
    end = b.op1('Add', [start, len], `${hint}_end`);
  }
  const rows = b.op1('Slice', [full, start, end, b.i64([0])], `${hint}_rows`);
  return b.op1('Add', [x, rows], hint);
};
