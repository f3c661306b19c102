// `tessera import`: a Hugging Face causal-LM folder (config.json, and model.safetensors or a
// shard index) → a Tessera spec built by the llamaLM preset, whose weight names are the
// checkpoint's own. A config field that would change the maths in a way the spec cannot express
// is refused by name, never dropped.
import { join } from 'node:path';
import {
  type LlamaLMOptions,
  llamaLM,
  SHARD_INDEX_NAME,
  SpecError,
  type SpecIssue,
} from '@tessera/spec';
import { flag, positionals, required } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, from } from '../errors.js';
import { print, readFile, readWeights, weightsFile, writeFile } from '../io.js';

const MODEL_TYPES = ['llama', 'mistral', 'qwen2'] as const;

/** transformers' ACT2FN names → gatedMlp's activations (gelu_new is gelu's tanh form). */
const ACTIVATIONS: Record<string, NonNullable<LlamaLMOptions['activation']>> = {
  silu: 'silu',
  swish: 'silu',
  gelu: 'gelu',
  gelu_pytorch_tanh: 'geluTanh',
  gelu_new: 'geluTanh',
};

/**
 * The llamaLM options for a config.json, as transformers' LlamaConfig, MistralConfig and
 * Qwen2Config read it. Every field that cannot be honoured is a SpecError issue at its path.
 */
export function llamaOptionsFromConfig(config: unknown): LlamaLMOptions {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new SpecError([{ path: [], message: 'config.json is not a JSON object' }]);
  const c = config as Record<string, unknown>;
  const issues: SpecIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ path: [field], message });
  /** A field's value, undefined when absent or null (transformers' "use the default"). */
  const get = (field: string) => (c[field] === null ? undefined : c[field]);
  const int = (field: string, fallback?: number): number => {
    const v = get(field) ?? fallback;
    if (v === undefined) bad(field, 'is missing');
    else if (!Number.isSafeInteger(v) || (v as number) <= 0)
      bad(field, `is ${JSON.stringify(v)}; expected a positive integer`);
    else return v as number;
    return 1;
  };
  const num = (field: string, fallback: number): number => {
    const v = get(field) ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      bad(field, `is ${JSON.stringify(v)}; expected a positive number`);
      return fallback;
    }
    return v;
  };
  const bool = (field: string, fallback: boolean): boolean => {
    const v = get(field) ?? fallback;
    if (typeof v !== 'boolean') bad(field, `is ${JSON.stringify(v)}; expected true or false`);
    return v === true;
  };

  const type = c.model_type;
  if (!MODEL_TYPES.includes(type as (typeof MODEL_TYPES)[number])) {
    throw new SpecError([
      {
        path: ['model_type'],
        message: `is ${JSON.stringify(type)}; tessera import reads ${MODEL_TYPES.join(', ')}`,
      },
    ]);
  }
  const numHeads = int('num_attention_heads');
  const maxLength =
    get('max_position_embeddings') === undefined ? undefined : int('max_position_embeddings');
  const numLayers = int('num_hidden_layers');

  // Rotary positions: plain RoPE only. transformers 5 writes rope_parameters; older configs
  // rope_theta and rope_scaling (null unless scaled).
  let ropeTheta = num('rope_theta', 10000);
  for (const field of ['rope_scaling', 'rope_parameters']) {
    const v = get(field);
    if (v === undefined) continue;
    const kind =
      typeof v === 'object' && !Array.isArray(v)
        ? ((v as Record<string, unknown>).rope_type ?? (v as Record<string, unknown>).type)
        : undefined;
    if (kind !== 'default') {
      bad(
        field,
        `is ${JSON.stringify(v)}; only unscaled rotary positions are supported (rope_type "default")`,
      );
      continue;
    }
    const theta = (v as Record<string, unknown>).rope_theta;
    if (theta !== undefined) {
      if (typeof theta === 'number' && Number.isFinite(theta) && theta > 0) ropeTheta = theta;
      else bad(field, `has rope_theta ${JSON.stringify(theta)}; expected a positive number`);
    }
  }
  const partial = get('partial_rotary_factor');
  if (partial !== undefined && partial !== 1)
    bad(
      'partial_rotary_factor',
      `is ${JSON.stringify(partial)}; only 1 (rotating every feature) is supported`,
    );

  // Sliding-window attention: only where the window covers the whole context (or no layer uses it).
  const window = get('sliding_window');
  const slides =
    type === 'mistral'
      ? window !== undefined
      : type === 'qwen2'
        ? get('use_sliding_window') === true &&
          window !== undefined &&
          (get('max_window_layers') === undefined ||
            (typeof c.max_window_layers === 'number' && c.max_window_layers < numLayers))
        : false;
  if (slides && (maxLength === undefined || typeof window !== 'number' || window < maxLength))
    bad(
      'sliding_window',
      `is ${JSON.stringify(window)}, shorter than max_position_embeddings ${maxLength ?? '(not given)'}; sliding-window attention is not supported`,
    );

  const act = get('hidden_act') ?? 'silu';
  const activation = typeof act === 'string' ? ACTIVATIONS[act] : undefined;
  if (activation === undefined)
    bad(
      'hidden_act',
      `is ${JSON.stringify(act)}; supported: ${Object.keys(ACTIVATIONS).join(', ')}`,
    );

  if (get('quantization_config') !== undefined)
    bad('quantization_config', 'is given; quantized checkpoints are not supported');

  // What each family's attention and MLP carry: Qwen2 has q/k/v biases; Llama's attention_bias
  // adds biases to q/k/v and o_proj, its mlp_bias to the three MLP projections. Mistral has none
  // (transformers ignores both fields there).
  const llama = type === 'llama';
  const attentionBias = type === 'qwen2' || (llama && bool('attention_bias', false));
  const outputBias = llama && attentionBias;
  const mlpBias = llama && bool('mlp_bias', false);

  const options: LlamaLMOptions = {
    vocabSize: int('vocab_size'),
    hiddenSize: int('hidden_size'),
    numLayers,
    numHeads,
    numKeyValueHeads: int('num_key_value_heads', numHeads),
    intermediateSize: int('intermediate_size'),
    ropeTheta,
    rmsNormEps: num('rms_norm_eps', 1e-6),
    tieWordEmbeddings: bool('tie_word_embeddings', false),
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(get('head_dim') === undefined ? {} : { headDim: int('head_dim') }),
    attentionBias,
    outputBias,
    mlpBias,
    activation: activation ?? 'silu',
  };
  if (issues.length > 0) throw new SpecError(issues);
  return options;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'write the spec of a Hugging Face Llama, Mistral or Qwen2 folder',
  help: `usage: tessera import <folder> -o spec.json [--skip-weights]

Reads a Hugging Face causal-LM folder's config.json (model_type llama, mistral or qwen2) and
writes the spec of that model: input input_ids (int32 [batch, time]), output logits, weight
names as the checkpoint's own (model.layers.N.self_attn.q_proj.weight, lm_head.weight or a
head tied to model.embed_tokens). A config field the spec cannot honour (rope_scaling, a
sliding window shorter than the context, another hidden_act, quantization) is an error naming
the field. When the folder holds model.safetensors or ${SHARD_INDEX_NAME}, every tensor's
name and shape is checked against the spec first (float16 and bfloat16 load as float32); the
folder then serves as --weights for run, export and train.

options:
  -o, --output FILE   the spec to write
  --skip-weights      do not read the checkpoint's tensors`,
  options: { output: { type: 'string', short: 'o' }, 'skip-weights': { type: 'boolean' } },
  async run(parsed, { io }) {
    const [dir] = positionals('import', parsed, ['folder']);
    const out = required('import', parsed, 'output', '<spec.json>');
    const configFile = join(dir, 'config.json');
    const text = readFile(io, configFile).toString('utf8');
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new CliError(`${configFile}: is not valid JSON: ${(e as Error).message}`);
    }
    const options = await from(configFile, () => llamaOptionsFromConfig(config));
    const spec = await from(configFile, () => llamaLM(options));
    const type = (config as { model_type: string }).model_type;

    if (!flag(parsed, 'skip-weights')) {
      let found: string | undefined;
      try {
        found = weightsFile(io, dir);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
      }
      if (found === undefined || found === dir)
        print(
          io.stdout,
          `no model.safetensors or ${SHARD_INDEX_NAME} in ${dir}: weights not checked`,
        );
      else {
        const weights = await readWeights(io, spec, found);
        print(
          io.stdout,
          `checked ${weights.size} tensors in ${found} against the spec: they match`,
        );
      }
    }
    writeFile(io, out, `${JSON.stringify(spec, null, 2)}\n`);
    print(io.stdout, `wrote ${type} (${spec.nodes.length} nodes) to ${out}`);
    return EXIT_OK;
  },
};
