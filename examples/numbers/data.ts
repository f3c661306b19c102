// Numbers 0–9999 written in digits and in English words ("4071" → "four thousand seventy one"),
// as token ids for an encoder–decoder: digits in, words out, each sequence of its own length.
import { Rng } from '@tessera/spec';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** American usage without "and" or hyphens: 4071 → four thousand seventy one. */
export function numberWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`${n} is not in 0..9999`);
  if (n === 0) return ['zero'];
  const out: string[] = [];
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor(n / 100) % 10;
  const rest = n % 100;
  if (thousands > 0) out.push(ONES[thousands], 'thousand');
  if (hundreds > 0) out.push(ONES[hundreds], 'hundred');
  if (rest >= 20) {
    out.push(TENS[Math.floor(rest / 10)]);
    if (rest % 10 > 0) out.push(ONES[rest % 10]);
  } else if (rest > 0) out.push(ONES[rest]);
  return out;
}

export interface Pair {
  digits: string;
  words: string[];
}

/** Every number 0..9999, split by a seeded shuffle: `test` of them held out, never trained on. */
export function numberPairs(test: number, seed: number): { train: Pair[]; test: Pair[] } {
  const order = Array.from({ length: 10000 }, (_, i) => i);
  const rng = new Rng(seed, 17);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const pair = (n: number): Pair => ({ digits: String(n), words: numberWords(n) });
  const cut = Math.round(order.length * test);
  return { test: order.slice(0, cut).map(pair), train: order.slice(cut).map(pair) };
}

/** Tokens as ids; 0 is padding and, for targets, 1 starts and 2 ends a sequence. */
export class Vocab {
  readonly symbols: string[];
  private readonly ids: Map<string, number>;
  constructor(
    tokens: Iterable<string>,
    readonly specials: string[],
  ) {
    this.symbols = [...specials, ...new Set(tokens)];
    this.ids = new Map(this.symbols.map((c, i) => [c, i]));
  }
  get size(): number {
    return this.symbols.length;
  }
  encode(tokens: Iterable<string>): number[] {
    return [...tokens].map((c) => {
      const id = this.ids.get(c);
      if (id === undefined || id < this.specials.length)
        throw new Error(`${JSON.stringify(c)} is not in the vocabulary`);
      return id;
    });
  }
  decode(ids: Iterable<number>): string[] {
    return [...ids].map((i) => this.symbols[i]);
  }
}

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;

export const vocabularies = () => ({
  src: new Vocab('0123456789', ['<pad>']),
  tgt: new Vocab([...ONES, ...TENS.slice(2), 'hundred', 'thousand'], ['<pad>', '<s>', '</s>']),
});

/**
 * A padded batch for teacher forcing: src [n, S] digits, tgt [n, T] = <s> w1 … wm, targets
 * [n, T] = w1 … wm </s>, padding 0 in src and tgt and −1 (ignored by the loss) in targets;
 * src_lengths and tgt_lengths each row's own lengths (m + 1 on the target side).
 */
export function padPairs(pairs: Pair[], v: ReturnType<typeof vocabularies>) {
  const src = pairs.map((p) => v.src.encode(p.digits));
  const tgt = pairs.map((p) => v.tgt.encode(p.words));
  const S = Math.max(...src.map((s) => s.length));
  const T = Math.max(...tgt.map((t) => t.length)) + 1;
  const n = pairs.length;
  const srcIds = new Int32Array(n * S);
  const tgtIds = new Int32Array(n * T);
  const targets = new Int32Array(n * T).fill(-1);
  src.forEach((s, i) => {
    srcIds.set(s, i * S);
  });
  tgt.forEach((t, i) => {
    tgtIds.set([BOS, ...t], i * T);
    targets.set([...t, EOS], i * T);
  });
  const int32 = (shape: number[], data: Int32Array) => ({ dtype: 'int32' as const, shape, data });
  return {
    inputs: {
      src: int32([n, S], srcIds),
      tgt: int32([n, T], tgtIds),
      src_lengths: int32(
        [n],
        Int32Array.from(src, (s) => s.length),
      ),
      tgt_lengths: int32(
        [n],
        Int32Array.from(tgt, (t) => t.length + 1),
      ),
    },
    targets: int32([n, T], targets),
  };
}

/** Levenshtein distance between two token sequences (insertion, deletion, substitution: 1 each). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    prev = row;
  }
  return prev[b.length];
}
