// The bench's baselines: the same architectures as Tessera's presets, written by hand with
// tf.layers (the Keras-style API) and loaded with the same PyTorch-layout weights, converted the
// way a person porting the model would (transposed kernels, HWIO filters, one LSTM bias, fc1's
// rows permuted because Keras flattens NHWC, LLaMA's q/k/v kernels packed into one).
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Weights } from '@tessera/spec';

const t = (w: Tensor) => tf.tensor(w.data, w.shape, 'float32');
const get = (weights: Weights, name: string) => {
  const w = weights.get(name);
  if (w === undefined) throw new Error(`bench: weight ${name} is missing`);
  return t(w);
};
/** PyTorch [out, in] → Keras [in, out]. */
const kernel = (weights: Weights, name: string) => tf.tidy(() => tf.transpose(get(weights, name)));

/** x + P[:T] with a learned P [maxLength, d]. */
class LearnedPositions extends tf.layers.Layer {
  static className = 'LearnedPositions';
  private table!: tf.LayerVariable;
  constructor(
    private readonly maxLength: number,
    private readonly dim: number,
  ) {
    super({});
  }
  override build(): void {
    this.table = this.addWeight(
      'table',
      [this.maxLength, this.dim],
      'float32',
      tf.initializers.zeros(),
    );
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(x, tf.slice(this.table.read(), [0, 0], [x.shape[1]!, this.dim]));
  }
}

/** Causal multi-head self-attention with PyTorch's packed in_proj layout. */
class CausalSelfAttention extends tf.layers.Layer {
  static className = 'CausalSelfAttention';
  private inKernel!: tf.LayerVariable;
  private inBias!: tf.LayerVariable;
  private outKernel!: tf.LayerVariable;
  private outBias!: tf.LayerVariable;
  constructor(
    private readonly dim: number,
    private readonly heads: number,
  ) {
    super({});
  }
  override build(): void {
    const e = this.dim;
    const zeros = tf.initializers.zeros();
    this.inKernel = this.addWeight('in_kernel', [e, 3 * e], 'float32', zeros);
    this.inBias = this.addWeight('in_bias', [3 * e], 'float32', zeros);
    this.outKernel = this.addWeight('out_kernel', [e, e], 'float32', zeros);
    this.outBias = this.addWeight('out_bias', [e], 'float32', zeros);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, time, e] = x.shape as number[];
      const h = this.heads;
      const dh = e / h;
      const qkv = tf.add(
        tf.matMul(tf.reshape(x, [b * time, e]), this.inKernel.read()),
        this.inBias.read(),
      );
      const [q, k, v] = tf.unstack(
        tf.transpose(tf.reshape(qkv, [b, time, 3, h, dh]), [2, 0, 3, 1, 4]),
      );
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
      // Additive causal mask: 0 on and below the diagonal, -1e9 above it.
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([time, time]), -1, 0)), -1e9);
      const masked = tf.add(scores, mask);
      const ctx = tf.reshape(tf.transpose(tf.matMul(tf.softmax(masked), v), [0, 2, 1, 3]), [
        b * time,
        e,
      ]);
      return tf.reshape(tf.add(tf.matMul(ctx, this.outKernel.read()), this.outBias.read()), [
        b,
        time,
        e,
      ]);
    });
  }
}

export interface TransformerSizes {
  vocabSize: number;
  dModel: number;
  nhead: number;
  numLayers: number;
  dimFeedforward: number;
  maxLength: number;
  time: number;
}

/** GPT-style pre-norm causal transformer, as transformerLM builds it. */
export function kerasTransformerLM(s: TransformerSizes, w: Weights): tf.LayersModel {
  const tokens = tf.input({ shape: [s.time], dtype: 'int32' });
  const embed = tf.layers.embedding({ inputDim: s.vocabSize, outputDim: s.dModel });
  const pos = new LearnedPositions(s.maxLength, s.dModel);
  let x = pos.apply(embed.apply(tokens)) as tf.SymbolicTensor;
  const set: [tf.layers.Layer, tf.Tensor[]][] = [
    [embed, [get(w, 'embed.weight')]],
    [pos, [get(w, 'pos.weight')]],
  ];
  for (let i = 0; i < s.numLayers; i++) {
    const p = `block${i}.`;
    const norm1 = tf.layers.layerNormalization({ epsilon: 1e-5 });
    const attn = new CausalSelfAttention(s.dModel, s.nhead);
    const norm2 = tf.layers.layerNormalization({ epsilon: 1e-5 });
    const ff1 = tf.layers.dense({ units: s.dimFeedforward, activation: 'gelu' });
    const ff2 = tf.layers.dense({ units: s.dModel });
    x = tf.layers
      .add()
      .apply([x, attn.apply(norm1.apply(x)) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    x = tf.layers
      .add()
      .apply([x, ff2.apply(ff1.apply(norm2.apply(x))) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    set.push(
      [norm1, [get(w, `${p}norm1.weight`), get(w, `${p}norm1.bias`)]],
      [
        attn,
        [
          kernel(w, `${p}self_attn.in_proj_weight`),
          get(w, `${p}self_attn.in_proj_bias`),
          kernel(w, `${p}self_attn.out_proj.weight`),
          get(w, `${p}self_attn.out_proj.bias`),
        ],
      ],
      [norm2, [get(w, `${p}norm2.weight`), get(w, `${p}norm2.bias`)]],
      [ff1, [kernel(w, `${p}linear1.weight`), get(w, `${p}linear1.bias`)]],
      [ff2, [kernel(w, `${p}linear2.weight`), get(w, `${p}linear2.bias`)]],
    );
  }
  const norm = tf.layers.layerNormalization({ epsilon: 1e-5 });
  const head = tf.layers.dense({ units: s.vocabSize, useBias: false });
  const logits = head.apply(norm.apply(x)) as tf.SymbolicTensor;
  set.push(
    [norm, [get(w, 'norm.weight'), get(w, 'norm.bias')]],
    [head, [kernel(w, 'head.weight')]],
  );
  return finish(tf.model({ inputs: tokens, outputs: logits }), set);
}

/** x / sqrt(mean(x²) + eps) · weight over the last axis (LlamaRMSNorm). */
class RmsNorm extends tf.layers.Layer {
  static className = 'RmsNorm';
  private weight!: tf.LayerVariable;
  constructor(
    private readonly dim: number,
    private readonly eps: number,
  ) {
    super({});
  }
  override build(): void {
    this.weight = this.addWeight('weight', [this.dim], 'float32', tf.initializers.ones());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const ms = tf.mean(tf.square(x), -1, true);
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.eps))), this.weight.read());
    });
  }
}

export interface LlamaSizes {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKeyValueHeads: number;
  intermediateSize: number;
  ropeTheta: number;
  rmsNormEps: number;
  maxLength: number;
  time: number;
}

/**
 * LlamaAttention: q, k, v from one packed kernel, rotary positions from precomputed cos/sin tables
 * (rotate_half pairing), causal softmax attention where each group of numHeads / numKeyValueHeads
 * query heads shares one key/value head. The group's queries are stacked along time
 * ([B, kvHeads, groups·T, d]) so that one batched matMul serves them, instead of copying keys and
 * values once per query head (transformers' repeat_kv).
 */
class LlamaAttention extends tf.layers.Layer {
  static className = 'LlamaAttention';
  private qkvKernel!: tf.LayerVariable;
  private outKernel!: tf.LayerVariable;
  private cos!: tf.LayerVariable;
  private sin!: tf.LayerVariable;
  constructor(private readonly s: LlamaSizes) {
    super({});
  }
  private get headDim() {
    return this.s.hiddenSize / this.s.numHeads;
  }
  override build(): void {
    const { hiddenSize: e, numHeads: h, numKeyValueHeads: kv, maxLength } = this.s;
    const d = this.headDim;
    const zeros = tf.initializers.zeros();
    this.qkvKernel = this.addWeight('qkv_kernel', [e, (h + 2 * kv) * d], 'float32', zeros);
    this.outKernel = this.addWeight('out_kernel', [h * d, e], 'float32', zeros);
    this.cos = this.addWeight('cos', [maxLength, d], 'float32', zeros, undefined, false);
    this.sin = this.addWeight('sin', [maxLength, d], 'float32', zeros, undefined, false);
    this.built = true;
  }
  /** The tables [maxLength, headDim]: cos and sin of p·θ^(−2i/d), the d/2 angles twice over. */
  ropeTables(): [tf.Tensor, tf.Tensor] {
    const { maxLength, ropeTheta } = this.s;
    const d = this.headDim;
    const cos = new Float32Array(maxLength * d);
    const sin = new Float32Array(maxLength * d);
    for (let p = 0; p < maxLength; p++)
      for (let j = 0; j < d; j++) {
        const angle = p * ropeTheta ** ((-2 * (j % (d / 2))) / d);
        cos[p * d + j] = Math.cos(angle);
        sin[p * d + j] = Math.sin(angle);
      }
    return [tf.tensor2d(cos, [maxLength, d]), tf.tensor2d(sin, [maxLength, d])];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, time, e] = x.shape as number[];
      const { numHeads: h, numKeyValueHeads: kv } = this.s;
      const d = this.headDim;
      const groups = h / kv;
      const qkv = tf.matMul(tf.reshape(x, [b * time, e]), this.qkvKernel.read());
      const [q, k, v] = tf.split(qkv, [h * d, kv * d, kv * d], 1);
      const heads = (t: tf.Tensor, n: number) =>
        tf.transpose(tf.reshape(t, [b, time, n, d]), [0, 2, 1, 3]);
      const cos = tf.slice(this.cos.read(), [0, 0], [time, d]);
      const sin = tf.slice(this.sin.read(), [0, 0], [time, d]);
      // x·cos + rotate_half(x)·sin, rotate_half(x) = concat(−x[d/2:], x[:d/2]).
      const rope = (t: tf.Tensor) => {
        const [first, second] = tf.split(t, 2, 3);
        return tf.add(tf.mul(t, cos), tf.mul(tf.concat([tf.neg(second), first], 3), sin));
      };
      // Query head j·groups + g reads key/value head j: [B, kv, groups·T, d].
      const qg = tf.reshape(rope(heads(q, h)), [b, kv, groups * time, d]);
      const kr = rope(heads(k, kv));
      const vh = heads(v, kv);
      const scores = tf.reshape(tf.mul(tf.matMul(qg, kr, false, true), 1 / Math.sqrt(d)), [
        b,
        kv,
        groups,
        time,
        time,
      ]);
      // Additive causal mask: 0 on and below the diagonal, -1e9 above it.
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([time, time]), -1, 0)), -1e9);
      const probs = tf.reshape(tf.softmax(tf.add(scores, mask)), [b, kv, groups * time, time]);
      const ctx = tf.reshape(tf.matMul(probs, vh), [b, h, time, d]);
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b * time, h * d]);
      return tf.reshape(tf.matMul(merged, this.outKernel.read()), [b, time, e]);
    });
  }
}

/**
 * A LLaMA decoder, as llamaLM builds it (Hugging Face's weight names): embed_tokens, per layer
 * x + self_attn(input_layernorm(x)), x + down(silu(gate(n)) · up(n)) with n =
 * post_attention_layernorm(x), the final norm and an untied lm_head.
 */
export function kerasLlamaLM(s: LlamaSizes, w: Weights): tf.LayersModel {
  const tokens = tf.input({ shape: [s.time], dtype: 'int32' });
  const embed = tf.layers.embedding({ inputDim: s.vocabSize, outputDim: s.hiddenSize });
  let x = embed.apply(tokens) as tf.SymbolicTensor;
  const set: [tf.layers.Layer, tf.Tensor[]][] = [[embed, [get(w, 'model.embed_tokens.weight')]]];
  const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(input) as tf.SymbolicTensor;
  for (let i = 0; i < s.numLayers; i++) {
    const p = `model.layers.${i}.`;
    const norm1 = new RmsNorm(s.hiddenSize, s.rmsNormEps);
    const attn = new LlamaAttention(s);
    const norm2 = new RmsNorm(s.hiddenSize, s.rmsNormEps);
    const dense = (units: number, activation?: 'swish') =>
      tf.layers.dense({ units, useBias: false, activation, kernelInitializer: 'zeros' });
    const gate = dense(s.intermediateSize, 'swish');
    const up = dense(s.intermediateSize);
    const down = dense(s.hiddenSize);
    x = apply(tf.layers.add(), [x, apply(attn, apply(norm1, x))]);
    const n = apply(norm2, x);
    const gated = apply(tf.layers.multiply(), [apply(gate, n), apply(up, n)]);
    x = apply(tf.layers.add(), [x, apply(down, gated)]);
    const qkv = tf.tidy(() =>
      tf.transpose(tf.concat(['q', 'k', 'v'].map((m) => get(w, `${p}self_attn.${m}_proj.weight`)))),
    );
    set.push(
      [norm1, [get(w, `${p}input_layernorm.weight`)]],
      [attn, [qkv, kernel(w, `${p}self_attn.o_proj.weight`), ...attn.ropeTables()]],
      [norm2, [get(w, `${p}post_attention_layernorm.weight`)]],
      [gate, [kernel(w, `${p}mlp.gate_proj.weight`)]],
      [up, [kernel(w, `${p}mlp.up_proj.weight`)]],
      [down, [kernel(w, `${p}mlp.down_proj.weight`)]],
    );
  }
  const norm = new RmsNorm(s.hiddenSize, s.rmsNormEps);
  const head = tf.layers.dense({ units: s.vocabSize, useBias: false, kernelInitializer: 'zeros' });
  const logits = apply(head, apply(norm, x));
  set.push([norm, [get(w, 'model.norm.weight')]], [head, [kernel(w, 'lm_head.weight')]]);
  return finish(tf.model({ inputs: tokens, outputs: logits }), set);
}

/** Stacked LSTM over [batch, time, inputSize], last step, linear logits (rnnClassifier). */
export function kerasLstmClassifier(
  s: { inputSize: number; hiddenSize: number; numLayers: number; numClasses: number; time: number },
  w: Weights,
): tf.LayersModel {
  const input = tf.input({ shape: [s.time, s.inputSize] });
  let x: tf.SymbolicTensor = input;
  const set: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (let l = 0; l < s.numLayers; l++) {
    // Keras's gate order (i, f, c, o) is PyTorch's (i, f, g, o); its one bias is b_ih + b_hh.
    const layer = tf.layers.lstm({
      units: s.hiddenSize,
      returnSequences: l < s.numLayers - 1,
      recurrentActivation: 'sigmoid',
      // Overwritten below; the default orthogonal init of a 256×1024 matrix costs seconds.
      kernelInitializer: 'zeros',
      recurrentInitializer: 'zeros',
    });
    x = layer.apply(x) as tf.SymbolicTensor;
    const bias = tf.tidy(() => tf.add(get(w, `rnn.bias_ih_l${l}`), get(w, `rnn.bias_hh_l${l}`)));
    set.push([layer, [kernel(w, `rnn.weight_ih_l${l}`), kernel(w, `rnn.weight_hh_l${l}`), bias]]);
  }
  const head = tf.layers.dense({ units: s.numClasses });
  const logits = head.apply(x) as tf.SymbolicTensor;
  set.push([head, [kernel(w, 'head.weight'), get(w, 'head.bias')]]);
  return finish(tf.model({ inputs: input, outputs: logits }), set);
}

/** LeNet-5 on NHWC images (cnnClassifier with its defaults). */
export function kerasCnnClassifier(w: Weights): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const conv1 = tf.layers.conv2d({
    filters: 6,
    kernelSize: 5,
    padding: 'same',
    activation: 'relu',
  });
  const conv2 = tf.layers.conv2d({
    filters: 16,
    kernelSize: 5,
    padding: 'valid',
    activation: 'relu',
  });
  const fc1 = tf.layers.dense({ units: 120, activation: 'relu' });
  const fc2 = tf.layers.dense({ units: 84, activation: 'relu' });
  const fc3 = tf.layers.dense({ units: 10 });
  let x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(conv1.apply(input)) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(conv2.apply(x)) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const logits = fc3.apply(fc2.apply(fc1.apply(x))) as tf.SymbolicTensor;
  const filter = (name: string) => tf.tidy(() => tf.transpose(get(w, name), [2, 3, 1, 0]));
  // PyTorch flattens [16, 5, 5] as (c, h, w); Keras flattens [5, 5, 16] as (h, w, c).
  const fc1Kernel = tf.tidy(() =>
    tf.reshape(
      tf.transpose(tf.reshape(kernel(w, 'fc1.weight'), [16, 5, 5, 120]), [1, 2, 0, 3]),
      [400, 120],
    ),
  );
  return finish(tf.model({ inputs: input, outputs: logits }), [
    [conv1, [filter('conv1.weight'), get(w, 'conv1.bias')]],
    [conv2, [filter('conv2.weight'), get(w, 'conv2.bias')]],
    [fc1, [fc1Kernel, get(w, 'fc1.bias')]],
    [fc2, [kernel(w, 'fc2.weight'), get(w, 'fc2.bias')]],
    [fc3, [kernel(w, 'fc3.weight'), get(w, 'fc3.bias')]],
  ]);
}

function finish(model: tf.LayersModel, set: [tf.layers.Layer, tf.Tensor[]][]): tf.LayersModel {
  for (const [layer, values] of set) {
    layer.setWeights(values);
    tf.dispose(values);
  }
  return model;
}
