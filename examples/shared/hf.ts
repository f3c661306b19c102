// A trained LLaMA-family model saved as a Hugging Face folder, the layout `save_pretrained` writes
// and `from_pretrained` / `tessera import` read: config.json (LlamaConfig's fields),
// model.safetensors (the checkpoint's own tensor names; a tied model holds
// model.embed_tokens.weight and no lm_head.weight, as transformers saves it), tokenizer.json and
// tokenizer_config.json. `tesseraImport` reads such a folder back with the CLI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CharTokenizer, HfTokenizerFile, Tokenizer } from '@tessera/lm';
import { readTokenizer } from '@tessera/lm/node';
import {
  checkWeights,
  type LlamaLMOptions,
  type ModelSpec,
  parseSpec,
  Rng,
  readSafetensors,
  type Weights,
  writeSafetensors,
} from '@tessera/spec';

/** transformers' default initializer_range: every projection and the embedding ~ N(0, 0.02²). */
export const INITIALIZER_RANGE = 0.02;

/**
 * LlamaPreTrainedModel's initialisation: normal(0, initializer_range) for the embedding and every
 * linear weight, zeros for biases, ones for the RMSNorm scales. Reproducible from `seed` (each
 * tensor draws from its own stream, named after the tensor). `weights` gives the names and shapes
 * (initWeights' output); its tensors are replaced, not changed.
 */
export function llamaInit(weights: Weights, seed: number, std = INITIALIZER_RANGE): Weights {
  const out: Weights = new Map();
  for (const [name, t] of weights) {
    const data = new Float32Array(t.data.length);
    if (name.endsWith('norm.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) {
      const rng = Rng.forName(seed, name);
      for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    }
    out.set(name, { dtype: 'float32', shape: [...t.shape], data });
  }
  return out;
}

/**
 * config.json for a llamaLM: `model_type: "llama"` and every field LlamaConfig reads, with the
 * values llamaLM's defaults stand for written out (rather than left to transformers' defaults,
 * some of which differ: rms_norm_eps, bos/eos ids).
 */
export function llamaConfigJson(
  o: LlamaLMOptions & { maxLength: number },
  extra: { bosTokenId?: number; eosTokenId?: number } = {},
): Record<string, unknown> {
  const hiddenSize = o.hiddenSize ?? 32;
  const numHeads = o.numHeads ?? 4;
  const attentionBias = o.attentionBias ?? false;
  if ((o.outputBias ?? false) !== attentionBias)
    throw new Error('LlamaConfig has one attention_bias for q/k/v and o_proj');
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: o.vocabSize ?? 64,
    hidden_size: hiddenSize,
    intermediate_size: o.intermediateSize ?? 64,
    num_hidden_layers: o.numLayers ?? 2,
    num_attention_heads: numHeads,
    num_key_value_heads: o.numKeyValueHeads ?? 2,
    head_dim: o.headDim ?? hiddenSize / numHeads,
    hidden_act: { silu: 'silu', gelu: 'gelu', geluTanh: 'gelu_pytorch_tanh' }[
      o.activation ?? 'silu'
    ],
    max_position_embeddings: o.maxLength,
    rms_norm_eps: o.rmsNormEps ?? 1e-6,
    rope_theta: o.ropeTheta ?? 10000,
    rope_scaling: null,
    attention_bias: attentionBias,
    attention_dropout: 0,
    mlp_bias: o.mlpBias ?? false,
    tie_word_embeddings: o.tieWordEmbeddings ?? false,
    initializer_range: INITIALIZER_RANGE,
    pretraining_tp: 1,
    use_cache: true,
    bos_token_id: extra.bosTokenId ?? null,
    eos_token_id: extra.eosTokenId ?? null,
    pad_token_id: null,
    torch_dtype: 'float32',
  };
}

/**
 * A character tokenizer as a Hugging Face tokenizer.json: a BPE model with no merges over the
 * single characters (the `tokenizers` library's WordLevel would do the same, but
 * `@huggingface/tokenizers` does not read it), a Split pre-tokenizer isolating every character,
 * U+FFFD (id 0) as the unknown token, and a Fuse decoder that joins the characters back without
 * spaces. It encodes every text to the same ids as `tok.encode`.
 */
export function charTokenizerJson(tok: CharTokenizer): HfTokenizerFile {
  const tokens = tok.toJSON().tokens ?? [];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: {
      type: 'Split',
      pattern: { Regex: '[\\s\\S]' },
      behavior: 'Isolated',
      invert: false,
    },
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: tokens[0],
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(tokens.map((t, i) => [t, i])),
      merges: [],
    },
  };
}

/** tokenizer_config.json for charTokenizerJson: a plain PreTrainedTokenizerFast, no BOS or EOS. */
export function charTokenizerConfig(tok: CharTokenizer, maxLength: number) {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    unk_token: tok.toJSON().tokens?.[0],
    bos_token: null,
    eos_token: null,
    pad_token: null,
    model_max_length: maxLength,
    clean_up_tokenization_spaces: false,
  };
}

/** Writes the folder; returns the paths written. `weights` are written under their own names. */
export function saveHfFolder(
  dir: string,
  files: {
    config: Record<string, unknown>;
    weights: Weights;
    tokenizer?: HfTokenizerFile;
    tokenizerConfig?: Record<string, unknown>;
  },
): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const json = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
    written.push(join(dir, name));
  };
  json('config.json', files.config);
  // transformers refuses a safetensors file whose metadata lacks format "pt".
  writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(files.weights, { format: 'pt' }));
  written.push(join(dir, 'model.safetensors'));
  if (files.tokenizer !== undefined) json('tokenizer.json', files.tokenizer);
  if (files.tokenizerConfig !== undefined) json('tokenizer_config.json', files.tokenizerConfig);
  return written;
}

const examples = fileURLToPath(new URL('..', import.meta.url));

/**
 * `tessera import DIR -o SPEC` with the CLI run from its sources (packages/cli/src/bin.ts under
 * tsx and the `@tessera/source` condition, so no build is needed); returns what it printed.
 */
export function tesseraImport(dir: string, specFile: string): string {
  const r = spawnSync(
    join(examples, 'node_modules/.bin/tsx'),
    [
      '--conditions=@tessera/source',
      join(examples, '../packages/cli/src/bin.ts'),
      'import',
      dir,
      '-o',
      specFile,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(`tessera import ${dir} exited ${r.status}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/**
 * A Hugging Face folder read back: the spec `tessera import` wrote, the folder's model.safetensors
 * checked against it, and its tokenizer.json (with tokenizer_config.json) through @tessera/lm.
 */
export function loadHfFolder(
  dir: string,
  specFile: string,
): { spec: ModelSpec; weights: Weights; tokenizer: Tokenizer; metadata: Record<string, string> } {
  const spec = parseSpec(JSON.parse(readFileSync(specFile, 'utf8')));
  const { tensors, metadata } = readSafetensors(
    new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
  );
  checkWeights(spec, tensors);
  return { spec, weights: tensors, tokenizer: readTokenizer(dir), metadata };
}
