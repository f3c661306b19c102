// Autoregressive sampling with temperature, top-k and top-p (nucleus), reproducible for a seed,
// on the model's decoder (§6.5: the prompt once, then one position per token) or by recomputing
// the whole prefix for every token when there is no decoder or when asked to.
import { type CompiledModel, type Decoder, Rng, SpecError, type Tensor } from '@tessera/spec';
import { type LMOptions, logSoftmaxRow, runLogits } from './likelihood.js';

/**
 * Options of generate, generateStream and generateWithStats: how many tokens, how they are
 * sampled, when to stop, and whether to use the model's decoder.
 */
export interface GenerateOptions extends LMOptions {
  maxTokens: number;
  /** 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1: all). */
  topP?: number;
  seed?: number;
  /** Ids that end generation (the stop token is included in the result). */
  stopTokens?: number[];
  /** Called with each new token as it is chosen. */
  onToken?: (id: number, index: number) => void | Promise<void>;
  /**
   * false: recompute the whole prefix for every token (for comparison). Default true: the
   * model's decoder when it has one and the spec is decodable, else recomputation.
   */
  cache?: boolean;
  /** Aborts: generation stops after the token in progress; the result holds the tokens so far. */
  signal?: AbortSignal;
  /** Once, before the first token: how the tokens will be made. */
  onStart?: (info: GenerateStart) => void;
}

/** How a generation makes its tokens: with the decoder (its state's size), or why not. */
export type GenerateStart =
  | { cached: true; stateBytes: number }
  | { cached: false; reason: string };

/**
 * What generateWithStats gives: the new ids, the prefill's time, the tokens per second after it,
 * and whether the decoder was used.
 */
export interface GenerateStats {
  /** The new ids (a stop token included). */
  ids: number[];
  /** Milliseconds of the first model call: the whole prompt, giving the first new token. */
  prefillMs: number;
  /**
   * Tokens after the first per second of the calls after the prefill (each one token); 0 when
   * there were none.
   */
  tokensPerSecond: number;
  cached: boolean;
  /** Why the decoder was not used (when cached is false). */
  reason?: string;
}

/** Chooses the next id from one row of logits. */
export function sampleNext(
  logits: ArrayLike<number>,
  offset: number,
  vocab: number,
  o: Pick<GenerateOptions, 'temperature' | 'topK' | 'topP'>,
  rng: Rng,
): number {
  const temperature = o.temperature ?? 1;
  const logp = logSoftmaxRow(logits, offset, vocab);
  // Candidates by descending probability; ties broken by id so the order is deterministic.
  const order = Array.from({ length: vocab }, (_, i) => i).sort(
    (a, b) => logp[b] - logp[a] || a - b,
  );
  if (temperature === 0) return order[0];
  let keep = o.topK !== undefined && o.topK > 0 ? order.slice(0, o.topK) : order;
  const scaled = keep.map((i) => logp[i] / temperature);
  const max = Math.max(...scaled);
  let probs = scaled.map((s) => Math.exp(s - max));
  let total = probs.reduce((p, q) => p + q, 0);
  probs = probs.map((p) => p / total);
  if (o.topP !== undefined && o.topP < 1) {
    let cum = 0;
    let cut = probs.length;
    for (let i = 0; i < probs.length; i++) {
      cum += probs[i];
      if (cum >= o.topP) {
        cut = i + 1;
        break;
      }
    }
    keep = keep.slice(0, cut);
    probs = probs.slice(0, cut);
    total = probs.reduce((p, q) => p + q, 0);
    probs = probs.map((p) => p / total);
  }
  let u = rng.uniform();
  for (let i = 0; i < keep.length; i++) {
    u -= probs[i];
    if (u < 0) return keep[i];
  }
  return keep[keep.length - 1];
}

/**
 * Extends `prompt` by up to `maxTokens` ids, stopping early at a stop token, when the sequence
 * reaches `contextLength` or when `signal` aborts, and yields each new id as it is chosen.
 * Breaking out of the loop (or `return()`) frees the decoder; the generator's return value is
 * the stats.
 */
export async function* generateStream(
  model: CompiledModel,
  prompt: ArrayLike<number>,
  options: GenerateOptions,
): AsyncGenerator<number, GenerateStats> {
  if (prompt.length === 0) throw new RangeError('the prompt needs at least one token');
  if (!Number.isSafeInteger(options.maxTokens) || options.maxTokens < 0)
    throw new RangeError(`maxTokens must be a whole number ≥ 0, got ${options.maxTokens}`);
  const input = options.input ?? 'tokens';
  const output = options.output ?? 'logits';
  const rng = new Rng(options.seed ?? 0);
  const stop = new Set(options.stopTokens ?? []);
  // The recomputing loop stops once the sequence is contextLength long: that many new tokens.
  const budget = Math.max(
    0,
    Math.min(
      options.maxTokens,
      (options.contextLength ?? Number.POSITIVE_INFINITY) - prompt.length,
    ),
  );
  const ids = Array.from(prompt);
  const out: number[] = [];

  let decoder: Decoder | undefined;
  let reason: string | undefined;
  if (budget === 0) reason = 'no token to generate (maxTokens 0, or the prompt fills the context)';
  else if (options.cache === false) reason = 'cache: false';
  else if (model.decoder === undefined) reason = 'this backend has no decoder';
  else {
    try {
      // The last new token is never fed back, so the decoder sees prompt + budget − 1 positions.
      decoder = await model.decoder({ batch: 1, maxLength: prompt.length + budget - 1 });
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      reason = e.issues.map((i) => i.message).join('; ');
    }
  }
  options.onStart?.(
    decoder === undefined
      ? { cached: false, reason: reason as string }
      : { cached: true, stateBytes: decoder.stateBytes },
  );

  let prefillMs = 0;
  let decodeMs = 0;
  try {
    // What the next call feeds: the prompt, then each new token alone (with the decoder).
    let feed = ids;
    while (out.length < budget && options.signal?.aborted !== true) {
      const started = performance.now();
      const logits =
        decoder === undefined
          ? await runLogits(model, ids, options)
          : await stepLogits(decoder, feed, input, output);
      const vocab = logits.shape[2];
      const next = sampleNext(logits.data, (logits.shape[1] - 1) * vocab, vocab, options, rng);
      const ms = performance.now() - started;
      if (out.length === 0) prefillMs = ms;
      else decodeMs += ms;
      ids.push(next);
      out.push(next);
      feed = [next];
      await options.onToken?.(next, out.length - 1);
      yield next;
      if (stop.has(next)) break;
    }
  } finally {
    await decoder?.dispose();
  }
  return {
    ids: out,
    prefillMs,
    tokensPerSecond: out.length > 1 && decodeMs > 0 ? ((out.length - 1) * 1000) / decodeMs : 0,
    cached: decoder !== undefined,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** One decoder step over `ids` (batch 1); its logits [1, ids.length, vocab]. */
async function stepLogits(
  decoder: Decoder,
  ids: readonly number[],
  input: string,
  output: string,
): Promise<Tensor> {
  const tokens: Tensor = { dtype: 'int32', shape: [1, ids.length], data: Int32Array.from(ids) };
  const logits = (await decoder.step({ [input]: tokens }))[output];
  if (logits === undefined) throw new Error(`the model has no output ${JSON.stringify(output)}`);
  if (logits.shape.length !== 3 || logits.shape[0] !== 1 || logits.shape[1] !== ids.length)
    throw new Error(
      `expected the decoder's logits [1, ${ids.length}, vocab], got [${logits.shape.join(', ')}]`,
    );
  return logits;
}

/** generateStream run to the end: the new ids and how fast they came. */
export async function generateWithStats(
  model: CompiledModel,
  prompt: ArrayLike<number>,
  options: GenerateOptions,
): Promise<GenerateStats> {
  const stream = generateStream(model, prompt, options);
  for (;;) {
    const r = await stream.next();
    if (r.done === true) return r.value;
  }
}

/**
 * Extends `prompt` (see generateStream) and returns only the new ids.
 *
 * @example
 * const tok = CharTokenizer.fromText('to be or not to be');
 * const spec = transformerLM({ vocabSize: tok.vocabSize, maxLength: 32 });
 * const model = await (await createBackend()).compile(spec, initWeights(spec, 0));
 * const ids = await generate(model, tok.encode('to '), { maxTokens: 10, topK: 5, seed: 1 });
 * console.log(tok.decode(ids));
 */
export async function generate(
  model: CompiledModel,
  prompt: ArrayLike<number>,
  options: GenerateOptions,
): Promise<number[]> {
  return (await generateWithStats(model, prompt, options)).ids;
}
