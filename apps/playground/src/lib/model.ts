// What a run is made of, derived from the page's state: the bindings, the weights (and whether
// they are the loaded file's or seeded ones, and why), the tokenizer and the inputs; and why Run
// cannot start when it cannot. Pure functions: App memoises each on the state it reads.
import type { Tokenizer } from '@tessera/lm';
import {
  checkWeights,
  defaultBindings,
  initWeights,
  type ModelSpec,
  randomInputs,
  type Tensor,
  WeightError,
  type Weights,
} from '@tessera/spec';
import type { LoadedTokenizer } from '../components/TokenizerLoader';
import { type Availability, isAvailable } from './backends';
import type { Checked } from './diagnostics';
import { playgroundTokenizer } from './tokens';
import type { LoadedWeights } from './weight-files';

export function errorText(e: unknown): string {
  if (e instanceof WeightError) return e.issues.map((i) => `${i.name}: ${i.message}`).join('\n');
  return e instanceof Error ? e.message : String(e);
}

/** `batch=1,time=8` as bindings; a part that is not `name=whole number ≥ 1` is skipped. */
export function bindingsOf(spec: ModelSpec, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    if (k && Number.isInteger(Number(v)) && Number(v) > 0) out[k] = Number(v);
  }
  return defaultBindings(spec, out, 2);
}

export type WeightSource =
  | { kind: 'file'; name: string }
  /** `unused`: a loaded file that does not fit this spec, and why. */
  | { kind: 'seeded'; seed: number; unused?: { name: string; problem: string } };

/** The weights a run uses: the loaded ones while they fit the spec, seeded ones otherwise. */
export function weightsOf(
  spec: ModelSpec,
  seed: number,
  loaded: LoadedWeights | null,
): { weights: Weights; source: WeightSource } {
  if (loaded !== null) {
    try {
      checkWeights(spec, loaded.weights);
      return { weights: loaded.weights, source: { kind: 'file', name: loaded.name } };
    } catch (e) {
      return {
        weights: initWeights(spec, seed),
        source: { kind: 'seeded', seed, unused: { name: loaded.name, problem: errorText(e) } },
      };
    }
  }
  return { weights: initWeights(spec, seed), source: { kind: 'seeded', seed } };
}

/** In words, for the weights panel and the run panel. */
export function weightSourceText(source: WeightSource): string {
  return source.kind === 'file'
    ? `using ${source.name}`
    : `using seeded weights (seed ${source.seed})${source.unused ? `: ${source.unused.name} does not fit this spec` : ''}`;
}

/** The token input of a language model (its one int32 [batch, time] input, `tokens` or
 *  Hugging Face's `input_ids`) when the spec has a `logits` output; undefined otherwise. */
export function tokenInputOf(spec: ModelSpec): string | undefined {
  if (!('logits' in spec.outputs)) return undefined;
  const ids = Object.entries(spec.inputs).filter(
    ([, i]) => i.dtype === 'int32' && i.shape.length === 2,
  );
  return ids.length === 1 && Object.keys(spec.inputs).length === 1 ? ids[0][0] : undefined;
}

export function numEmbeddingsOf(spec: ModelSpec): number | undefined {
  const e = spec.nodes.find((n) => n.op === 'embedding') as { numEmbeddings: number } | undefined;
  return e?.numEmbeddings;
}

/** The loaded tokenizer, or the playground's character one sized to the model; null if no LM. */
export function tokenizerOf(spec: ModelSpec, loaded: LoadedTokenizer | null): Tokenizer | null {
  if (tokenInputOf(spec) === undefined) return null;
  return loaded?.tokenizer ?? playgroundTokenizer(numEmbeddingsOf(spec) ?? 64);
}

export interface Inputs {
  tensors: Record<string, Tensor>;
  /** A label per position of the time axis, for the heatmaps: the prompt's tokens, or indices. */
  tokens: string[];
}

/** The prompt's tokens for a language model, seeded random inputs otherwise; or the problem. */
export function inputsOf(
  spec: ModelSpec,
  bindings: Record<string, number>,
  seed: number,
  tokenizer: Tokenizer | null,
  prompt: string,
): Inputs | { problem: string } {
  try {
    const input = tokenInputOf(spec);
    if (input !== undefined && tokenizer !== null) {
      const ids = tokenizer.encode(prompt || ' ');
      return {
        tensors: { [input]: { dtype: 'int32', shape: [1, ids.length], data: ids } },
        tokens: Array.from(ids, (id) => tokenizer.decode([id])),
      };
    }
    const time = bindings.time ?? 0;
    return {
      tensors: randomInputs(spec, bindings, seed),
      tokens: Array.from({ length: time }, (_, i) => String(i)),
    };
  } catch (e) {
    return { problem: errorText(e) };
  }
}

/** Why Run cannot start now, in words; undefined when it can. */
export function runBlocker(
  checked: Checked,
  inputs: Inputs | { problem: string },
  availability: readonly Availability[],
  label: string,
): string | undefined {
  const n = checked.diagnostics.length;
  if (checked.spec === null)
    return `the spec has ${n} problem${n === 1 ? '' : 's'} (listed under the editor): fix ${n === 1 ? 'it' : 'them'} to run`;
  if ('problem' in inputs) return `the inputs cannot be made: ${inputs.problem}`;
  const a = availability.find((x) => x.label === label);
  if (a === undefined) return `${label} is still starting`;
  if (!isAvailable(a)) return `${label} cannot start in this browser: ${a.reason}`;
  return undefined;
}
