// Hand-built ONNX graphs for the bench: the same architectures as Tessera's specs, written
// directly with ORT's fused operators (com.microsoft Attention, SkipLayerNormalization, BiasGelu;
// ONNX LSTM), from the same PyTorch-named weights. They share only the protobuf helper with the
// compiler, not its emitters.
import type { Weights } from '@tessera/spec';
import { float, GraphBuilder, int, str, valueInfo } from '../src/graph-builder.js';

// Runs these graphs on a variant's runtime with the session options Tessera's own models get.
export { createSession, type OnnxSession } from '../src/backend.js';

const MS = 'com.microsoft';

function t2(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

function encode(
  b: GraphBuilder,
  name: string,
  inputs: ReturnType<typeof valueInfo>[],
  outputs: ReturnType<typeof valueInfo>[],
): Uint8Array {
  return b.encode({
    name,
    inputs,
    outputs,
    producerName: 'hand',
    producerVersion: '0',
    irVersion: 10,
    metadata: {},
  });
}

export interface TransformerDims {
  vocab: number;
  d: number;
  heads: number;
  ff: number;
  layers: number;
  time: number;
}

/**
 * GPT-style pre-norm stack: x = embed + pos; per layer x += out(Attn(LN1(x))), x += W2·gelu(W1·LN2(x)).
 * Each residual Add and the following LayerNorm are one SkipLayerNormalization, whose 4th output
 * is the sum carried to the next residual.
 */
export function handTransformer(w: Weights, s: TransformerDims): Uint8Array {
  const b = new GraphBuilder(21);
  const W = (name: string) => w.get(name)!.data as Float32Array;
  const lin = (name: string, o: number, i: number) =>
    b.floatInit(name, [i, o], t2(W(`${name}.weight`), o, i));
  const vec = (name: string, n: number) => b.floatInit(name, [n], W(name));
  const emb = b.op1(
    'Gather',
    [b.floatInit('embed', [s.vocab, s.d], W('embed.weight')), 'tokens'],
    'embed_out',
  );
  const pos = b.floatInit('pos', [s.time, s.d], W('pos.weight').slice(0, s.time * s.d));
  let residual = b.op1('Add', [emb, pos], 'x0');
  let normed = b.op1(
    'LayerNormalization',
    [residual, vec('block0.norm1.weight', s.d), vec('block0.norm1.bias', s.d)],
    'ln',
    { axis: int(-1), epsilon: float(1e-5) },
  );
  for (let l = 0; l < s.layers; l++) {
    const p = `block${l}`;
    const attn = b.op1(
      'Attention',
      [
        normed,
        b.floatInit(
          `${p}_qkv`,
          [s.d, 3 * s.d],
          t2(W(`${p}.self_attn.in_proj_weight`), 3 * s.d, s.d),
        ),
        vec(`${p}.self_attn.in_proj_bias`, 3 * s.d),
      ],
      `${p}_attn`,
      { num_heads: int(s.heads), unidirectional: int(1) },
      MS,
    );
    const proj = b.op1('MatMul', [attn, lin(`${p}.self_attn.out_proj`, s.d, s.d)], `${p}_proj`);
    const [n2, , , sum1] = b.op(
      'SkipLayerNormalization',
      [
        proj,
        residual,
        vec(`${p}.norm2.weight`, s.d),
        vec(`${p}.norm2.bias`, s.d),
        vec(`${p}.self_attn.out_proj.bias`, s.d),
      ],
      `${p}_skip1`,
      { epsilon: float(1e-5) },
      { domain: MS, outputs: ['y', { name: '' }, { name: '' }, 'sum'] },
    );
    const h = b.op1('MatMul', [n2, lin(`${p}.linear1`, s.ff, s.d)], `${p}_ff1`);
    const g = b.op1('BiasGelu', [h, vec(`${p}.linear1.bias`, s.ff)], `${p}_gelu`, {}, MS);
    const f = b.op1('MatMul', [g, lin(`${p}.linear2`, s.d, s.ff)], `${p}_ff2`);
    const next = l + 1 < s.layers ? `block${l + 1}.norm1` : 'norm';
    [normed, , , residual] = b.op(
      'SkipLayerNormalization',
      [
        f,
        sum1,
        vec(`${next}.weight`, s.d),
        vec(`${next}.bias`, s.d),
        vec(`${p}.linear2.bias`, s.d),
      ],
      `${p}_skip2`,
      { epsilon: float(1e-5) },
      { domain: MS, outputs: ['y', { name: '' }, { name: '' }, 'sum'] },
    );
  }
  b.op(
    'MatMul',
    [normed, lin('head', s.vocab, s.d)],
    'logits',
    {},
    { outputs: [{ name: 'logits' }] },
  );
  return encode(
    b,
    'hand_transformer',
    [valueInfo('tokens', 'int32', ['batch', 'time'])],
    [valueInfo('logits', 'float32', ['batch', 'time', s.vocab])],
  );
}

export interface LstmDims {
  input: number;
  hidden: number;
  layers: number;
  /** Node id of the LSTM in the weights (`lstm.weight_ih_l0`); `lstm` by default. */
  prefix?: string;
  /** With a head: the last step through `<head>.weight`/`.bias` to this many logits (rnnClassifier). */
  classes?: number;
  head?: string;
}

/** Stacked LSTM, time-major inside (ORT has no batch-major LSTM): Transpose, LSTM per layer, Transpose. */
export function handLstm(w: Weights, s: LstmDims): Uint8Array {
  const b = new GraphBuilder(21);
  const h = s.hidden;
  const p = s.prefix ?? 'lstm';
  // PyTorch gates i, f, g, o → ONNX i, o, f, c.
  const reorder = (data: Float32Array, size: number) => {
    const out = new Float32Array(data.length);
    [0, 3, 1, 2].forEach((from, to) => {
      out.set(data.subarray(from * size, (from + 1) * size), to * size);
    });
    return out;
  };
  let x = b.op1('Transpose', ['x'], 'x_tbi', { perm: { ints: [1, 0, 2] } });
  for (let l = 0; l < s.layers; l++) {
    const inSize = l === 0 ? s.input : h;
    const W = b.floatInit(
      `W${l}`,
      [1, 4 * h, inSize],
      reorder(w.get(`${p}.weight_ih_l${l}`)!.data as Float32Array, h * inSize),
    );
    const R = b.floatInit(
      `R${l}`,
      [1, 4 * h, h],
      reorder(w.get(`${p}.weight_hh_l${l}`)!.data as Float32Array, h * h),
    );
    const bias = new Float32Array(8 * h);
    bias.set(reorder(w.get(`${p}.bias_ih_l${l}`)!.data as Float32Array, h), 0);
    bias.set(reorder(w.get(`${p}.bias_hh_l${l}`)!.data as Float32Array, h), 4 * h);
    const y = b.op1('LSTM', [x, W, R, b.floatInit(`B${l}`, [1, 8 * h], bias)], `lstm${l}`, {
      hidden_size: int(h),
      direction: str('forward'),
    });
    x = b.op1('Squeeze', [y, b.i64([1])], `y${l}`);
  }
  if (s.classes !== undefined) {
    // Last step (index −1 of the time-major sequence), then Gemm with the head's [C, H] weight.
    const head = s.head ?? 'head';
    const last = b.op1('Gather', [x, b.i64([-1], true)], 'last', { axis: int(0) });
    const W = b.floatInit('head_w', [s.classes, h], w.get(`${head}.weight`)!.data as Float32Array);
    const B = b.floatInit('head_b', [s.classes], w.get(`${head}.bias`)!.data as Float32Array);
    b.op('Gemm', [last, W, B], 'logits', { transB: int(1) }, { outputs: [{ name: 'logits' }] });
    return encode(
      b,
      'hand_lstm_classifier',
      [valueInfo('x', 'float32', ['batch', 'time', s.input])],
      [valueInfo('logits', 'float32', ['batch', s.classes])],
    );
  }
  b.op('Transpose', [x], 'y', { perm: { ints: [1, 0, 2] } }, { outputs: [{ name: 'y' }] });
  return encode(
    b,
    'hand_lstm',
    [valueInfo('x', 'float32', ['batch', 'time', s.input])],
    [valueInfo('y', 'float32', ['batch', 'time', h])],
  );
}
