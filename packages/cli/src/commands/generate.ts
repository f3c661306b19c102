// `tessera generate`: sampling from a language model (§6.5), on the backend's decoder when the
// spec can decode step by step, streaming the text (or the ids) to stdout as it is made.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type GenerateStart,
  type GenerateStats,
  generateStream,
  HfTokenizer,
  lmOptionsOf,
  type Tokenizer,
} from '@tessera/lm';
import { readTokenizer } from '@tessera/lm/node';
import { idRanges } from '@tessera/spec';
import { flag, int, list, type Parsed, positionals, required, str } from '../args.js';
import { parseBackendLabel, startBackend } from '../backends.js';
import type { Command } from '../command.js';
import { CliError, EXIT_OK, from, UsageError } from '../errors.js';
import { type Io, print, readSpec, readWeights } from '../io.js';

const NAME = 'generate';

/** A number option in [min, max] (min itself excluded when `open`); undefined when absent. */
function bounded(
  parsed: Parsed,
  name: string,
  min: number,
  max: number,
  open = false,
): number | undefined {
  const text = str(parsed, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (open && n === min) || n > max)
    throw new UsageError(
      `--${name} must be a number ${open ? '>' : '≥'} ${min}${Number.isFinite(max) ? ` and ≤ ${max}` : ''}, got ${JSON.stringify(text)}`,
      NAME,
    );
  return n;
}

/** `--name 1,2,3` as whole numbers ≥ 0. */
function ids(parsed: Parsed, name: string): number[] {
  return list(parsed, name).map((text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new UsageError(
        `--${name} takes token ids (whole numbers ≥ 0, comma-separated), got ${JSON.stringify(text)}`,
        NAME,
      );
    return n;
  });
}

/**
 * The tokenizer.json a Hugging Face folder holds next to its weights: in the --weights folder,
 * beside the --weights file, or beside the spec; undefined when there is none.
 */
function defaultTokenizer(io: Io, weights: string, spec: string): string | undefined {
  const isFolder = (p: string) =>
    existsSync(resolve(io.cwd, p)) && statSync(resolve(io.cwd, p)).isDirectory();
  const places = [
    isFolder(weights) ? weights : dirname(weights),
    ...(spec === '-' ? [] : [dirname(spec)]),
  ];
  for (const place of places)
    if (existsSync(resolve(io.cwd, place, 'tokenizer.json'))) return join(place, 'tokenizer.json');
  return undefined;
}

/**
 * The text of the new ids: what decoding prompt + new gives after the prompt's own text, special
 * tokens (BOS, EOS) left out as transformers' pipelines do.
 */
function continuation(tokenizer: Tokenizer, prompt: number[], made: number[]): string {
  const decode = (ids: number[]) =>
    tokenizer instanceof HfTokenizer
      ? tokenizer.decode(ids, { skipSpecialTokens: true })
      : tokenizer.decode(ids);
  const before = decode(prompt);
  const all = decode([...prompt, ...made]);
  // SentencePiece drops a first token's leading space when it is decoded alone, so decode it
  // after the prompt; where the prompt's text is not a prefix, the new ids alone.
  return all.startsWith(before) ? all.slice(before.length) : decode(made);
}

function bytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

/** `tessera generate`: samples tokens from a language model, streaming the decoded text. */
export const generateCommand: Command = {
  name: NAME,
  summary: 'sample tokens from a language model, streaming the text',
  help: `usage: tessera generate <spec.json> --weights w.safetensors
                        (--prompt TEXT [--tokenizer tokenizer.json] | --prompt-ids 1,2,3)
                        --max-tokens N [--temperature T] [--top-k K] [--top-p P] [--seed N]
                        [--stop ID,...] [--no-cache] [--backend name[:variant]] [--json]

Extends the prompt by up to N tokens and prints the new text to stdout as it is made (the new
ids, comma-separated, when there is no tokenizer), then a line on stderr with the speed and how
the tokens were made. The spec is a language model: one int32 [batch, time] input (tokens or
input_ids) and a logits output. The backend's decoder runs the prompt once and then one token
at a time; a spec that cannot decode step by step (the reason is printed) and --no-cache
recompute the whole sequence for every token. Generation stops at the spec's positional
maxLength.

options:
  --weights FILE          the weights: safetensors, a shard index or a Hugging Face folder
  --prompt TEXT           the prompt, encoded by the tokenizer
  --tokenizer FILE        a tokenizer.json (Hugging Face; its tokenizer_config.json is read
                          too), a folder holding one, or a tessera.vocab/v1 file; by default
                          the tokenizer.json in the --weights folder, beside the weights or
                          beside the spec
  --prompt-ids IDS        the prompt as token ids, e.g. 1,2,3 (decoded with the tokenizer
                          when there is one)
  --max-tokens N          the most new tokens
  --temperature T         0 is greedy (the most likely token); default 1
  --top-k K               sample from the K most likely tokens only (0: all, the default)
  --top-p P               sample from the smallest set reaching probability P (default 1)
  --seed N                the sampling seed (default 0): the same seed, the same tokens
  --stop ID,...           ids that end generation (included in the output); default the
                          tokenizer's end-of-sequence id; "none" for none
  --no-cache              recompute the prefix for every token instead of the decoder
  --backend NAME[:VAR]    reference (default), ort, tfjs, gpujs, ... with an optional variant
  --json                  print one JSON object instead: {"ids": [new ids], "text": ...,
                          "tokensPerSecond": n, "prefillMs": n, "cached": bool, "reason": ...}`,
  options: {
    weights: { type: 'string' },
    prompt: { type: 'string' },
    'prompt-ids': { type: 'string' },
    tokenizer: { type: 'string' },
    'max-tokens': { type: 'string' },
    temperature: { type: 'string' },
    'top-k': { type: 'string' },
    'top-p': { type: 'string' },
    seed: { type: 'string' },
    stop: { type: 'string' },
    'no-cache': { type: 'boolean' },
    backend: { type: 'string', short: 'b' },
    json: { type: 'boolean' },
  },
  async run(parsed, { io, resolver }) {
    const [file] = positionals(NAME, parsed, ['spec.json']);
    const weightsArg = required(NAME, parsed, 'weights', '<weights.safetensors>');
    const text = str(parsed, 'prompt');
    const given = str(parsed, 'prompt-ids');
    if ((text === undefined) === (given === undefined))
      throw new UsageError('give exactly one of --prompt TEXT and --prompt-ids 1,2,3', NAME);
    const maxTokens = int(NAME, parsed, 'max-tokens', { min: 1 });
    if (maxTokens === undefined) throw new UsageError('--max-tokens N is required', NAME);
    const temperature = bounded(parsed, 'temperature', 0, Number.POSITIVE_INFINITY);
    const topK = int(NAME, parsed, 'top-k', { min: 0 });
    const topP = bounded(parsed, 'top-p', 0, 1, true);
    const seed = int(NAME, parsed, 'seed', { min: 0, max: 2 ** 32 - 1 });
    const stopText = str(parsed, 'stop');
    const stopGiven =
      stopText === undefined ? undefined : stopText.trim() === 'none' ? [] : ids(parsed, 'stop');
    const promptIdsGiven = given === undefined ? undefined : ids(parsed, 'prompt-ids');
    if (promptIdsGiven?.length === 0)
      throw new UsageError('--prompt-ids needs at least one id', NAME);
    const label = parseBackendLabel(str(parsed, 'backend') ?? 'reference', NAME);
    const json = flag(parsed, 'json');

    const spec = await readSpec(io, file);
    const lm = await from(file, () => lmOptionsOf(spec));
    const tokenizerFile = str(parsed, 'tokenizer') ?? defaultTokenizer(io, weightsArg, file);
    if (text !== undefined && tokenizerFile === undefined)
      throw new UsageError(
        `--prompt needs a tokenizer: give --tokenizer tokenizer.json (none was found beside ${weightsArg} or ${file}), or the ids with --prompt-ids`,
        NAME,
      );
    const tokenizer =
      tokenizerFile === undefined
        ? undefined
        : await from(tokenizerFile, () => readTokenizer(resolve(io.cwd, tokenizerFile)));
    // With --prompt there is a tokenizer (checked above); without it, --prompt-ids.
    const prompt =
      text === undefined || tokenizer === undefined
        ? (promptIdsGiven ?? [])
        : Array.from(await from(tokenizerFile ?? '', () => tokenizer.encode(text)));
    const flagName = text === undefined ? '--prompt-ids' : '--prompt';
    if (prompt.length === 0)
      throw new CliError(`${flagName}: ${JSON.stringify(text)} encodes to no tokens`);
    const vocab = idRanges(spec).get(lm.input);
    const outside = (id: number) => vocab !== undefined && id >= vocab;
    const bad = prompt.find(outside);
    if (bad !== undefined)
      throw new CliError(
        `${flagName}: token id ${bad}${text === undefined ? '' : ` (from ${tokenizerFile})`} is out of the model's vocabulary [0, ${vocab}) (input ${lm.input})`,
      );
    const badStop = stopGiven?.find(outside);
    if (badStop !== undefined)
      throw new CliError(
        `--stop: token id ${badStop} is out of the model's vocabulary [0, ${vocab})`,
      );
    const stopTokens = stopGiven ?? (tokenizer?.eosId === undefined ? [] : [tokenizer.eosId]);

    const weights = await readWeights(io, spec, weightsArg);
    const backend = await startBackend(resolver, label);
    const name = `${backend.name}:${backend.variant}`;
    const model = await from(name, () => backend.compile(spec, weights));
    let start: GenerateStart | undefined;
    const made: number[] = [];
    let printed = '';
    const decode =
      tokenizer === undefined
        ? undefined
        : (list: number[]) =>
            from(tokenizerFile ?? '', () => continuation(tokenizer, prompt, list));
    const stream = generateStream(model, prompt, {
      ...lm,
      maxTokens,
      ...(temperature === undefined ? {} : { temperature }),
      ...(topK === undefined ? {} : { topK }),
      ...(topP === undefined ? {} : { topP }),
      seed: seed ?? 0,
      stopTokens,
      cache: !flag(parsed, 'no-cache'),
      onStart: (s) => {
        start = s;
      },
    });
    const show = async (id: number) => {
      made.push(id);
      if (json) return;
      if (decode === undefined) {
        io.stdout.write(`${made.length === 1 ? '' : ','}${id}`);
        return;
      }
      // Held back while the text ends in U+FFFD (a character split over byte tokens) or would
      // rewrite what was printed; the end prints whatever is left.
      const now = await decode(made);
      if (now.startsWith(printed) && !now.endsWith('\uFFFD')) {
        io.stdout.write(now.slice(printed.length));
        printed = now;
      }
    };
    const stats = await (async (): Promise<GenerateStats> => {
      let done = false;
      try {
        for (;;) {
          const r = await from(name, () => stream.next());
          done = r.done === true;
          if (r.done === true) return r.value;
          await show(r.value);
        }
      } finally {
        // A failure of ours (the tokenizer's) leaves the stream suspended: return() ends it,
        // which frees the decoder.
        if (!done)
          await stream.return({ ids: made, prefillMs: 0, tokensPerSecond: 0, cached: false });
        await model.dispose();
      }
    })();
    const final = decode === undefined ? undefined : await decode(made);
    if (json) {
      print(
        io.stdout,
        JSON.stringify({
          ids: stats.ids,
          ...(final === undefined ? {} : { text: final }),
          tokensPerSecond: stats.tokensPerSecond,
          prefillMs: stats.prefillMs,
          cached: stats.cached,
          ...(stats.reason === undefined ? {} : { reason: stats.reason }),
        }),
      );
      return EXIT_OK;
    }
    if (final !== undefined) {
      let same = 0;
      while (same < printed.length && printed[same] === final[same]) same++;
      io.stdout.write(final.slice(same));
    }
    io.stdout.write('\n');
    const how =
      start === undefined || !start.cached
        ? `, recomputing the prefix for each token (${stats.reason})`
        : ` with the decoder (state ${bytes(start.stateBytes)})`;
    print(
      io.stderr,
      `${stats.ids.length} tokens on ${name}${how}: prefill ${stats.prefillMs.toFixed(1)} ms, then ${stats.tokensPerSecond.toFixed(1)} tokens/s`,
    );
    return EXIT_OK;
  },
};
