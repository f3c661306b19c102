// Autoregressive sampling with temperature, top-k and top-p (nucleus), reproducible for a seed.
import { type CompiledModel, Rng } from '@tessera/spec';
import { type LMOptions, logSoftmaxRow, runLogits } from './likelihood.js';

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
 * Extends `prompt` by up to `maxTokens` ids, stopping early at a stop token or when the sequence
 * reaches `contextLength`. Returns only the new ids.
 */
export async function generate(
  model: CompiledModel,
  prompt: ArrayLike<number>,
  options: GenerateOptions,
): Promise<number[]> {
  if (prompt.length === 0) throw new RangeError('the prompt needs at least one token');
  const rng = new Rng(options.seed ?? 0);
  const ids = Array.from(prompt);
  const out: number[] = [];
  const stop = new Set(options.stopTokens ?? []);
  while (out.length < options.maxTokens) {
    if (options.contextLength !== undefined && ids.length >= options.contextLength) break;
    const logits = await runLogits(model, ids, options);
    const vocab = logits.shape[2];
    const next = sampleNext(logits.data, (ids.length - 1) * vocab, vocab, options, rng);
    ids.push(next);
    out.push(next);
    await options.onToken?.(next, out.length - 1);
    if (stop.has(next)) break;
  }
  return out;
}
