// Log-likelihood and perplexity of token sequences under any backend's CompiledModel:
// log P(x) = Σ_{t≥1} log P(x_t | x_<t), each term from a stable log-softmax of the logits.
import {
  type CompiledModel,
  decodePlan,
  type ModelSpec,
  SpecError,
  type Tensor,
} from '@tessera/spec';

/** Which input and output of the model are the tokens and the logits, and its longest sequence. */
export interface LMOptions {
  /** Name of the int32 [batch, time] input; `tokens` by default. */
  input?: string;
  /** Name of the [batch, time, vocab] logits output; `logits` by default. */
  output?: string;
  /** Longest sequence the model accepts (its positional maxLength); unlimited by default. */
  contextLength?: number;
}

/**
 * The options a language model's spec implies: its one int32 [batch, time] input (`tokens`, or
 * Hugging Face's `input_ids`), its `logits` output, and as contextLength the positions its
 * positional embedding holds (none with rotary positions, which need no table). A SpecError
 * when the spec is not such a model.
 */
export function lmOptionsOf(spec: ModelSpec): LMOptions & { input: string; output: string } {
  if (!Object.hasOwn(spec.outputs, 'logits'))
    throw new SpecError([
      {
        path: ['outputs'],
        message: `a language model needs a logits output (outputs: ${Object.keys(spec.outputs).join(', ')})`,
      },
    ]);
  const inputs = Object.entries(spec.inputs);
  const [name, first] = inputs[0] ?? [];
  if (inputs.length !== 1 || first?.dtype !== 'int32' || first.shape.length !== 2)
    throw new SpecError([
      {
        path: ['inputs'],
        message: `a language model takes one int32 [batch, time] input of token ids (inputs: ${inputs.map(([n, i]) => `${n} ${i.dtype} [${i.shape.join(', ')}]`).join(', ')})`,
      },
    ]);
  let contextLength: number | undefined;
  try {
    // The decode plan is where the spec's positional limit is read (positionalEmbedding's).
    contextLength = decodePlan(spec).maxPositions;
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
  }
  return {
    input: name as string,
    output: 'logits',
    ...(contextLength === undefined ? {} : { contextLength }),
  };
}

/** log-softmax of one row in float64: x_i − max − log Σ exp(x_j − max). */
export function logSoftmaxRow(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < size; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp(logits[offset + i] - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = logits[offset + i] - lse;
  return out;
}

/** The logits [1, time, vocab] of one sequence of ids (a batch of one). */
export async function runLogits(
  model: CompiledModel,
  ids: ArrayLike<number>,
  options: LMOptions = {},
): Promise<Tensor> {
  const input = options.input ?? 'tokens';
  const output = options.output ?? 'logits';
  const tokens: Tensor = { dtype: 'int32', shape: [1, ids.length], data: Int32Array.from(ids) };
  const out = await model.run({ [input]: tokens });
  const logits = out[output];
  if (logits === undefined) throw new Error(`the model has no output ${JSON.stringify(output)}`);
  if (logits.shape.length !== 3 || logits.shape[1] !== ids.length) {
    throw new Error(`expected logits [1, ${ids.length}, vocab], got [${logits.shape.join(', ')}]`);
  }
  return logits;
}

/** What logLikelihood gives: the total log-probability of the scored tokens, and each one's. */
export interface LogLikelihood {
  /** Σ log P(x_t | x_<t) over the scored tokens (natural log). */
  logProb: number;
  /** How many tokens were scored (all but the first). */
  tokens: number;
  /** log P(x_t | x_<t) for t = 1..n−1. */
  perToken: Float64Array;
}

/**
 * Scores every token after the first. Sequences longer than `contextLength` are cut into windows
 * that overlap by one token, so each token is scored exactly once, conditioned on the tokens
 * before it inside its window.
 */
export async function logLikelihood(
  model: CompiledModel,
  ids: ArrayLike<number>,
  options: LMOptions = {},
): Promise<LogLikelihood> {
  const n = ids.length;
  const perToken = new Float64Array(Math.max(0, n - 1));
  const window = options.contextLength ?? n;
  if (window < 2) throw new RangeError('contextLength must be at least 2 to score a token');
  for (let start = 0; start < n - 1; start += window - 1) {
    const end = Math.min(n, start + window);
    const chunk = Array.prototype.slice.call(ids, start, end) as number[];
    const logits = await runLogits(model, chunk, options);
    const vocab = logits.shape[2];
    for (let t = 1; t < chunk.length; t++) {
      const row = logSoftmaxRow(logits.data, (t - 1) * vocab, vocab);
      const next = chunk[t];
      if (next < 0 || next >= vocab)
        throw new RangeError(`token id ${next} is out of range [0, ${vocab})`);
      perToken[start + t - 1] = row[next];
    }
  }
  let logProb = 0;
  for (const v of perToken) logProb += v;
  return { logProb, tokens: perToken.length, perToken };
}

/** exp(−(1/N) Σ log P(x_t | x_<t)). */
export async function perplexity(
  model: CompiledModel,
  ids: ArrayLike<number>,
  options: LMOptions = {},
): Promise<number> {
  const ll = await logLikelihood(model, ids, options);
  return Math.exp(-ll.logProb / ll.tokens);
}
