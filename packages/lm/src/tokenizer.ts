// Tokenizers for language models, with a small JSON vocabulary format (`tessera.vocab/v1`).
//
// Character level: a token is one Unicode code point. Id 0 is reserved for the unknown marker
// U+FFFD: a character missing from the vocabulary encodes to 0 and decodes to "\uFFFD", so
// encode/decode round-trips exactly for every text whose characters are all in the vocabulary.
// Byte level: a token is one UTF-8 byte (ids 0..255); every string round-trips exactly.

export const UNKNOWN = '\uFFFD';

export interface VocabFile {
  format: 'tessera.vocab/v1';
  kind: 'char' | 'byte';
  /** For `char`: the token strings by id; id 0 is always the unknown marker. */
  tokens?: string[];
}

export interface Tokenizer {
  readonly kind: 'char' | 'byte';
  readonly vocabSize: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  toJSON(): VocabFile;
}

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

  encode(text: string): Int32Array {
    const chars = Array.from(text);
    const out = new Int32Array(chars.length);
    chars.forEach((ch, i) => {
      out[i] = this.ids.get(ch) ?? 0;
    });
    return out;
  }

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

export class ByteTokenizer implements Tokenizer {
  readonly kind = 'byte';
  readonly vocabSize = 256;

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

export function tokenizerFromJSON(file: VocabFile): Tokenizer {
  return file?.kind === 'byte' ? new ByteTokenizer() : CharTokenizer.fromJSON(file);
}
