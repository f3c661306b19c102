// Tokenizers for language models, with a small JSON vocabulary format (`tessera.vocab/v1`).
//
// Character level: a token is one Unicode code point. Id 0 is reserved for the unknown marker
// U+FFFD: a character missing from the vocabulary encodes to 0 and decodes to "\uFFFD", so
// encode/decode round-trips exactly for every text whose characters are all in the vocabulary.
// Byte level: a token is one UTF-8 byte (ids 0..255); every string round-trips exactly.
// Hugging Face: a `tokenizer.json` (BPE, WordPiece, Unigram: whatever `@huggingface/tokenizers`
// reads), with `tokenizer_config.json` beside it for the BOS/EOS tokens and decoding options.

import { Tokenizer as HfTokenizerImpl } from '@huggingface/tokenizers';

/**
 * The unknown marker U+FFFD: CharTokenizer's id 0, what a character outside its vocabulary becomes.
 */
export const UNKNOWN = '\uFFFD';

/** A `tessera.vocab/v1` vocabulary file, as CharTokenizer's and ByteTokenizer's toJSON write it. */
export interface VocabFile {
  format: 'tessera.vocab/v1';
  kind: 'char' | 'byte';
  /** For `char`: the token strings by id; id 0 is always the unknown marker. */
  tokens?: string[];
}

/** A `tokenizer.json` as the Hugging Face `tokenizers` library writes it (only `model` is checked here). */
export interface HfTokenizerFile {
  model: { type?: string; vocab?: unknown; [key: string]: unknown };
  added_tokens?: unknown[];
  [key: string]: unknown;
}

/** The parts of `tokenizer_config.json` read here; every other field is passed on as it is. */
export interface HfTokenizerConfig {
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  clean_up_tokenization_spaces?: boolean;
  [key: string]: unknown;
}

/** Text to token ids and back: what generate's and perplexity's callers encode and decode with. */
export interface Tokenizer {
  readonly kind: 'char' | 'byte' | 'hf';
  /** One more than the largest id `encode` can give: the model's embedding needs at least this many rows. */
  readonly vocabSize: number;
  /** The beginning-of-sequence id, where the tokenizer has one. */
  readonly bosId?: number;
  /** The end-of-sequence id, where the tokenizer has one: a natural stop token for `generate`. */
  readonly eosId?: number;
  /** The ids of `text`. */
  encode(text: string): Int32Array;
  /** The text of `ids`; a RangeError names an id outside the vocabulary. */
  decode(ids: ArrayLike<number>): string;
  /** `tessera.vocab/v1` for the character and byte tokenizers; the `tokenizer.json` for `hf`. */
  toJSON(): VocabFile | HfTokenizerFile;
}

/**
 * One token per Unicode code point, id 0 the unknown marker: a text whose characters are all in the
 * vocabulary round-trips exactly.
 *
 * @example
 * const tok = CharTokenizer.fromText('to be or not to be');
 * tok.decode(tok.encode('not to be')); // 'not to be'
 */
export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  private readonly ids = new Map<string, number>();

  private constructor(private readonly tokens: string[]) {
    tokens.forEach((t, i) => {
      this.ids.set(t, i);
    });
  }

  /** Builds the vocabulary from a text: U+FFFD first, then every code point sorted. */
  static fromText(text: string, options: { maxVocab?: number } = {}): CharTokenizer {
    const counts = new Map<string, number>();
    for (const ch of text) if (ch !== UNKNOWN) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let chars = [...counts.keys()];
    if (options.maxVocab !== undefined && chars.length > options.maxVocab - 1) {
      // Keep the most frequent characters; ties broken by code point for reproducibility.
      chars = chars
        .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1))
        .slice(0, Math.max(0, options.maxVocab - 1));
    }
    chars.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new CharTokenizer([UNKNOWN, ...chars]);
  }

  /** The tokenizer of a `tessera.vocab/v1` character vocabulary (what toJSON wrote). */
  static fromJSON(file: VocabFile): CharTokenizer {
    if (
      file?.format !== 'tessera.vocab/v1' ||
      file.kind !== 'char' ||
      !Array.isArray(file.tokens)
    ) {
      throw new Error('not a tessera.vocab/v1 character vocabulary');
    }
    if (file.tokens[0] !== UNKNOWN) throw new Error('tokens[0] must be the unknown marker U+FFFD');
    const seen = new Set<string>();
    file.tokens.forEach((t, i) => {
      if (typeof t !== 'string' || [...t].length !== 1)
        throw new Error(`tokens[${i}] must be exactly one character`);
      if (seen.has(t)) throw new Error(`tokens[${i}] repeats ${JSON.stringify(t)}`);
      seen.add(t);
    });
    return new CharTokenizer([...file.tokens]);
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** One id per code point; a character outside the vocabulary gives 0. */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    const out = new Int32Array(chars.length);
    chars.forEach((ch, i) => {
      out[i] = this.ids.get(ch) ?? 0;
    });
    return out;
  }

  /** The characters of `ids` (0 is U+FFFD); a RangeError names an id out of range. */
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length)
        throw new RangeError(`token id ${id} at ${i} is out of range [0, ${this.tokens.length})`);
      s += this.tokens[id];
    }
    return s;
  }

  toJSON(): VocabFile {
    return { format: 'tessera.vocab/v1', kind: 'char', tokens: [...this.tokens] };
  }
}

/** One token per UTF-8 byte (ids 0–255): every string round-trips exactly. */
export class ByteTokenizer implements Tokenizer {
  readonly kind = 'byte';
  readonly vocabSize = 256;

  /** The UTF-8 bytes of `text`. */
  encode(text: string): Int32Array {
    return Int32Array.from(new TextEncoder().encode(text));
  }

  /** Invalid UTF-8 (a sequence cut in the middle of a character) decodes to U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    const bytes = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id > 255)
        throw new RangeError(`byte id ${id} at ${i} is out of range [0, 256)`);
      bytes[i] = id;
    }
    return new TextDecoder('utf-8').decode(bytes);
  }

  toJSON(): VocabFile {
    return { format: 'tessera.vocab/v1', kind: 'byte' };
  }
}

/** Options of a Hugging Face tokenizer, for every call or for one encode. */
export interface HfTokenizerOptions {
  /**
   * Whether `encode` applies the tokenizer's post-processor (LLaMA's leading `<s>`, BERT's
   * `[CLS]`/`[SEP]`). Default true, as in `transformers`.
   */
  addSpecialTokens?: boolean;
}

function tokenContent(t: unknown): string | undefined {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { content?: unknown }).content === 'string')
    return (t as { content: string }).content;
  return undefined;
}

/** The special token at the start and at the end of a TemplateProcessing `single` template. */
function templateEnds(file: HfTokenizerFile): { first?: string; last?: string } {
  const pp = file.post_processor as { type?: string; single?: unknown[]; processors?: unknown[] };
  const template = (
    pp?.type === 'Sequence'
      ? (pp.processors as { type?: string; single?: unknown[] }[] | undefined)?.find(
          (p) => p?.type === 'TemplateProcessing',
        )
      : pp?.type === 'TemplateProcessing'
        ? pp
        : undefined
  )?.single;
  if (!Array.isArray(template) || template.length === 0) return {};
  const special = (piece: unknown) =>
    (piece as { SpecialToken?: { id?: unknown } })?.SpecialToken?.id as string | undefined;
  return { first: special(template[0]), last: special(template[template.length - 1]) };
}

/** A Hugging Face `tokenizer.json`, encoded and decoded by `@huggingface/tokenizers`. */
export class HfTokenizer implements Tokenizer {
  readonly kind = 'hf';
  readonly vocabSize: number;
  readonly bosId?: number;
  readonly eosId?: number;
  private readonly impl: HfTokenizerImpl;
  private readonly addSpecialTokens: boolean;

  constructor(
    private readonly file: HfTokenizerFile,
    config: HfTokenizerConfig = {},
    options: HfTokenizerOptions = {},
  ) {
    if (!isHfTokenizerFile(file))
      throw new Error('not a Hugging Face tokenizer.json: it has no "model" object');
    // Without a tokenizer_config.json saying otherwise, decode does not reflow spaces around
    // punctuation ("a ." stays "a ."), so decode(encode(text)) gives the text back.
    const cfg = { clean_up_tokenization_spaces: false, ...config };
    this.impl = new HfTokenizerImpl({ added_tokens: [], ...file }, cfg);
    this.addSpecialTokens = options.addSpecialTokens ?? true;
    let max = -1;
    for (const id of this.impl.get_vocab(true).values()) if (id > max) max = id;
    this.vocabSize = max + 1;
    const ends = templateEnds(file);
    const idOf = (t: string | undefined) =>
      t === undefined ? undefined : this.impl.token_to_id(t);
    const bos = idOf(tokenContent(config.bos_token) ?? ends.first);
    const eos = idOf(tokenContent(config.eos_token) ?? ends.last);
    if (bos !== undefined) this.bosId = bos;
    if (eos !== undefined) this.eosId = eos;
  }

  /** The tokens `encode` would give, as strings (byte-level BPE shows a space as `Ġ`). */
  tokenize(text: string, options: HfTokenizerOptions = {}): string[] {
    return this.impl.encode(text, {
      add_special_tokens: options.addSpecialTokens ?? this.addSpecialTokens,
    }).tokens;
  }

  /**
   * The ids of `text`, with the post-processor's special tokens unless `addSpecialTokens` is false;
   * throws when a token is outside the vocabulary and there is no unknown token.
   */
  encode(text: string, options: HfTokenizerOptions = {}): Int32Array {
    const { ids, tokens } = this.impl.encode(text, {
      add_special_tokens: options.addSpecialTokens ?? this.addSpecialTokens,
    });
    const missing = ids.findIndex((id) => !Number.isInteger(id));
    if (missing >= 0)
      throw new Error(
        `token ${JSON.stringify(tokens[missing])} is not in the vocabulary and the tokenizer has no unknown token`,
      );
    return Int32Array.from(ids);
  }

  /**
   * The text of `ids`; special tokens kept unless `skipSpecialTokens`. Decode a whole
   * continuation: a SentencePiece or byte-level token alone can lose its space or be half a
   * character.
   */
  decode(ids: ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): string {
    const list = Array.from(ids);
    list.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize)
        throw new RangeError(`token id ${id} at ${i} is out of range [0, ${this.vocabSize})`);
    });
    if (list.length === 0) return '';
    return this.impl.decode(list, { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  /** The token string for an id, or undefined (a gap in the vocabulary). */
  idToToken(id: number): string | undefined {
    return this.impl.id_to_token(id);
  }

  /** The id of a token string, or undefined when the vocabulary lacks it. */
  tokenToId(token: string): number | undefined {
    return this.impl.token_to_id(token);
  }

  toJSON(): HfTokenizerFile {
    return this.file;
  }
}

/** Whether `file` looks like a Hugging Face `tokenizer.json` (it has a `model` object). */
export function isHfTokenizerFile(file: unknown): file is HfTokenizerFile {
  const model = (file as { model?: unknown } | null)?.model;
  return typeof model === 'object' && model !== null && !Array.isArray(model);
}

/**
 * Reads a Hugging Face `tokenizer.json` (its text or the parsed object), with the
 * `tokenizer_config.json` beside it where there is one (it names the BOS and EOS tokens).
 */
export function loadHfTokenizer(
  json: string | object,
  config?: string | object,
  options?: HfTokenizerOptions,
): HfTokenizer {
  const file = typeof json === 'string' ? JSON.parse(json) : json;
  const cfg = typeof config === 'string' ? JSON.parse(config) : config;
  return new HfTokenizer(file as HfTokenizerFile, cfg as HfTokenizerConfig | undefined, options);
}

/** A `tessera.vocab/v1` file gives a character or byte tokenizer, a `tokenizer.json` an `HfTokenizer`. */
export function tokenizerFromJSON(
  file: VocabFile | HfTokenizerFile,
  config?: HfTokenizerConfig,
): Tokenizer {
  if ((file as VocabFile)?.format !== 'tessera.vocab/v1' && isHfTokenizerFile(file))
    return new HfTokenizer(file, config);
  const vocab = file as VocabFile;
  return vocab?.kind === 'byte' ? new ByteTokenizer() : CharTokenizer.fromJSON(vocab);
}
