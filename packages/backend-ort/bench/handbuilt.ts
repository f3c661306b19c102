// Hand-built ONNX graphs for the bench: the same architectures as Tessera's specs, written
// directly with ORT's fused operators (com.microsoft Attention, SkipLayerNormalization, BiasGelu,
// GroupQueryAttention, SkipSimplifiedLayerNormalization, QuickGelu; ONNX LSTM), from the same
// PyTorch- and Hugging Face-named weights. They share only the protobuf helper with the
// compiler, not its emitters.
import type { Weights } from '@tessera/spec';
import { elemType, float, GraphBuilder, int, str, valueInfo } from '../src/graph-builder.js';

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

export interface LlamaDims {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  /** Rows of the rotary cos/sin caches: the longest sequence the graph takes. */
  maxLength: number;
  ropeTheta: number;
  rmsNormEps: number;
}

/**
 * A LLaMA decoder (llamaLM's architecture, Hugging Face's weight names) with the ops ORT provides
 * for it on CPU: per layer one MatMul for q, k and v packed, com.microsoft
 * GroupQueryAttention on the packed projection (causal, rotary applied inside from precomputed
 * cos/sin caches, key/value heads shared by head groups without a copy), one MatMul for gate and
 * up, silu as QuickGelu(alpha 1) = x·σ(x), and every residual Add with the RMS norm after it as
 * SkipSimplifiedLayerNormalization (its 4th output the sum carried on).
 */
export function handLlama(w: Weights, s: LlamaDims): Uint8Array {
  const b = new GraphBuilder(21);
  const W = (name: string) => {
    const t = w.get(name);
    if (t === undefined) throw new Error(`hand-built llama: weight ${name} is missing`);
    return t.data as Float32Array;
  };
  const headDim = s.hidden / s.heads;
  const kv = s.kvHeads * headDim;
  /** PyTorch [out, in] weights (one or several stacked along out) as a MatMul's [in, Σ out]. */
  const packed = (hint: string, names: string[], outs: number[], inp: number) => {
    const total = outs.reduce((p, q) => p + q, 0);
    const stacked = new Float32Array(total * inp);
    let row = 0;
    names.forEach((name, k) => {
      stacked.set(W(name), row * inp);
      row += outs[k];
    });
    return b.floatInit(hint, [inp, total], t2(stacked, total, inp));
  };
  const gamma = (name: string) => b.floatInit(name, [s.hidden], W(`${name}.weight`));
  const eps = { epsilon: float(s.rmsNormEps) };

  // GroupQueryAttention's lengths for a prompt with no past: seqlens_k = T − 1 per sequence,
  // total_sequence_length = T, from the ids' shape.
  const shape = b.op1('Shape', ['input_ids'], 'ids_shape');
  const time = b.op1('Gather', [shape, b.i64([1], true)], 'time');
  const int32 = { to: int(elemType('int32')) };
  const total = b.op1('Cast', [time], 'total_sequence_length', int32);
  const last = b.op1('Cast', [b.op1('Sub', [time, b.i64([1], true)], 'last_i64')], 'last', int32);
  const batch = b.op1('Slice', [shape, b.i64([0]), b.i64([1])], 'batch');
  const seqlens = b.op1('Expand', [last, batch], 'seqlens_k');
  // cos/sin caches [maxLength, headDim/2]: angle p·θ^(−2i/headDim), computed in float64.
  const half = headDim / 2;
  const cos = new Float32Array(s.maxLength * half);
  const sin = new Float32Array(s.maxLength * half);
  for (let p = 0; p < s.maxLength; p++)
    for (let i = 0; i < half; i++) {
      const angle = p * s.ropeTheta ** ((-2 * i) / headDim);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  const cosCache = b.floatInit('cos_cache', [s.maxLength, half], cos);
  const sinCache = b.floatInit('sin_cache', [s.maxLength, half], sin);

  let residual = b.op1(
    'Gather',
    [b.floatInit('embed_tokens', [s.vocab, s.hidden], W('model.embed_tokens.weight')), 'input_ids'],
    'embeds',
  );
  let normed = b.op1(
    'SimplifiedLayerNormalization',
    [residual, gamma('model.layers.0.input_layernorm')],
    'l0_input_layernorm',
    { axis: int(-1), ...eps },
  );
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    const qkv = b.op1(
      'MatMul',
      [
        normed,
        packed(
          `l${l}_qkv_proj`,
          ['q', 'k', 'v'].map((n) => `${p}.self_attn.${n}_proj.weight`),
          [s.hidden, kv, kv],
          s.hidden,
        ),
      ],
      `l${l}_qkv`,
    );
    const [attn] = b.op(
      'GroupQueryAttention',
      [qkv, '', '', '', '', seqlens, total, cosCache, sinCache],
      `l${l}_attn`,
      { num_heads: int(s.heads), kv_num_heads: int(s.kvHeads), do_rotary: int(1) },
      { domain: MS, outputs: ['out', 'present_key', 'present_value'] },
    );
    const o = b.op1(
      'MatMul',
      [attn, packed(`l${l}_o_proj`, [`${p}.self_attn.o_proj.weight`], [s.hidden], s.hidden)],
      `l${l}_o`,
    );
    const [n2, , , sum] = b.op(
      'SkipSimplifiedLayerNormalization',
      [o, residual, gamma(`${p}.post_attention_layernorm`)],
      `l${l}_post_attention_layernorm`,
      eps,
      { domain: MS, outputs: ['y', { name: '' }, { name: '' }, 'sum'] },
    );
    const i = s.intermediate;
    const gateUp = b.op1(
      'MatMul',
      [
        n2,
        packed(
          `l${l}_gate_up_proj`,
          [`${p}.mlp.gate_proj.weight`, `${p}.mlp.up_proj.weight`],
          [i, i],
          s.hidden,
        ),
      ],
      `l${l}_gate_up`,
    );
    const split = { outputs: ['gate', 'up'] };
    const [gate, up] = b.op(
      'Split',
      [gateUp, b.i64([i, i])],
      `l${l}_mlp`,
      { axis: int(-1) },
      split,
    );
    const act = b.op1('QuickGelu', [gate], `l${l}_silu`, { alpha: float(1) }, MS);
    const down = b.op1(
      'MatMul',
      [
        b.op1('Mul', [act, up], `l${l}_gated`),
        packed(`l${l}_down_proj`, [`${p}.mlp.down_proj.weight`], [s.hidden], i),
      ],
      `l${l}_down`,
    );
    const next = l + 1 < s.layers ? `model.layers.${l + 1}.input_layernorm` : 'model.norm';
    [normed, , , residual] = b.op(
      'SkipSimplifiedLayerNormalization',
      [down, sum, gamma(next)],
      l + 1 < s.layers ? `l${l + 1}_input_layernorm` : 'norm',
      eps,
      { domain: MS, outputs: ['y', { name: '' }, { name: '' }, 'sum'] },
    );
  }
  b.op(
    'MatMul',
    [normed, packed('lm_head', ['lm_head.weight'], [s.vocab], s.hidden)],
    'logits',
    {},
    { outputs: [{ name: 'logits' }] },
  );
  return encode(
    b,
    'hand_llama',
    [valueInfo('input_ids', 'int32', ['batch', 'time'])],
    [valueInfo('logits', 'float32', ['batch', 'time', s.vocab])],
  );
}
