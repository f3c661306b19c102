// Hugging Face tokenizer.json files read through @huggingface/tokenizers. The fixtures are tiny
// tokenizers written out by hand here, so every expected id can be worked out on paper.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTokenizer } from './node.js';
import {
  CharTokenizer,
  HfTokenizer,
  type HfTokenizerFile,
  loadHfTokenizer,
  tokenizerFromJSON,
} from './tokenizer.js';

// GPT-2 style byte-level BPE. Vocabulary: a b c Ġ (the byte-level stand-in for a space) and three
// merges by rank: "a b" → ab (0), "ab c" → abc (1), "Ġ a" → Ġa (2). Then <s> and </s> as added
// special tokens, and a template that puts <s> before every sequence.
function byteLevelBpe(): HfTokenizerFile {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: 7,
        content: '<s>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      {
        id: 8,
        content: '</s>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [7], tokens: ['<s>'] } },
    },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: { a: 0, b: 1, c: 2, Ġ: 3, ab: 4, abc: 5, Ġa: 6 },
      merges: ['a b', 'ab c', 'Ġ a'],
    },
  };
}

// SentencePiece style (LLaMA): Metaspace turns spaces into ▁ and prepends one; an unknown token.
function metaspaceBpe(): HfTokenizerFile {
  return {
    version: '1.0',
    added_tokens: [
      {
        id: 0,
        content: '<unk>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      {
        id: 1,
        content: '<s>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
      {
        id: 2,
        content: '</s>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    post_processor: null,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    model: {
      type: 'BPE',
      unk_token: '<unk>',
      fuse_unk: true,
      byte_fallback: false,
      vocab: { '<unk>': 0, '<s>': 1, '</s>': 2, '▁': 3, h: 4, i: 5, '▁h': 6, '▁hi': 7 },
      merges: [
        ['▁', 'h'],
        ['▁h', 'i'],
      ],
    },
  };
}

describe('HfTokenizer (byte-level BPE)', () => {
  const config = { bos_token: '<s>', eos_token: { content: '</s>' } };

  it('encodes to the ids worked out by hand and decodes back', () => {
    const tok = loadHfTokenizer(JSON.stringify(byteLevelBpe()), config);
    expect(tok.kind).toBe('hf');
    expect(tok.vocabSize).toBe(9);
    // "abc ab ca" splits into "abc" " ab" " ca" → abc | Ġ ab ("a b" ranks before "Ġ a") | Ġ c a.
    expect(tok.tokenize('abc ab ca', { addSpecialTokens: false })).toEqual([
      'abc',
      'Ġ',
      'ab',
      'Ġ',
      'c',
      'a',
    ]);
    expect([...tok.encode('abc ab ca', { addSpecialTokens: false })]).toEqual([5, 3, 4, 3, 2, 0]);
    // By default the template adds <s>, as transformers does.
    const ids = tok.encode('abc ab ca');
    expect(ids).toBeInstanceOf(Int32Array);
    expect([...ids]).toEqual([7, 5, 3, 4, 3, 2, 0]);
    expect([...tok.encode(' a')]).toEqual([7, 6]);
    expect(tok.decode(ids)).toBe('<s>abc ab ca');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('abc ab ca');
    expect(tok.decode([6, 8])).toBe(' a</s>');
    expect(tok.decode([])).toBe('');
  });

  it('round-trips text made of the vocabulary', () => {
    const tok = loadHfTokenizer(byteLevelBpe(), undefined, { addSpecialTokens: false });
    for (const text of ['a', 'cab', 'a b c', '  ab  ', 'abcabc ca bc']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('takes BOS and EOS from tokenizer_config.json, else from the template', () => {
    const withConfig = loadHfTokenizer(byteLevelBpe(), config);
    expect([withConfig.bosId, withConfig.eosId]).toEqual([7, 8]);
    const bare = loadHfTokenizer(byteLevelBpe());
    // The template's first special token is BOS; its last piece is the sequence, so no EOS.
    expect([bare.bosId, bare.eosId]).toEqual([7, undefined]);
  });

  it('rejects ids out of range and drops what it cannot encode, as the Rust library does', () => {
    const tok = loadHfTokenizer(byteLevelBpe());
    expect(() => tok.decode([9])).toThrow(RangeError);
    expect(() => tok.decode([1.5])).toThrow(RangeError);
    // "d" is not in the vocabulary and there is no unknown token: BPE leaves it out.
    expect([...tok.encode('ad', { addSpecialTokens: false })]).toEqual([0]);
    expect(() => loadHfTokenizer({ vocab: {} })).toThrow(/no "model"/);
  });
});

describe('HfTokenizer (SentencePiece-style BPE)', () => {
  it('prepends ▁, maps unknown characters to <unk> and decodes whole sequences', () => {
    const tok = loadHfTokenizer(metaspaceBpe(), { bos_token: '<s>', eos_token: '</s>' });
    expect([tok.bosId, tok.eosId, tok.vocabSize]).toEqual([1, 2, 8]);
    // "hi hih" → "▁hi▁hih" → ▁hi | ▁hi | h.
    expect([...tok.encode('hi hih')]).toEqual([7, 7, 4]);
    expect(tok.decode([7, 7, 4])).toBe('hi hih');
    expect([...tok.encode('hx')]).toEqual([6, 0]);
  });
});

describe('tokenizerFromJSON and readTokenizer', () => {
  it('tells tokenizer.json from tessera.vocab/v1', () => {
    expect(tokenizerFromJSON(byteLevelBpe())).toBeInstanceOf(HfTokenizer);
    const chars = CharTokenizer.fromText('ab').toJSON();
    expect(tokenizerFromJSON(chars)).toBeInstanceOf(CharTokenizer);
    expect(tokenizerFromJSON({ format: 'tessera.vocab/v1', kind: 'byte' }).kind).toBe('byte');
  });

  it('reads a model folder, a tokenizer.json path and a vocabulary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(byteLevelBpe()));
    writeFileSync(
      join(dir, 'tokenizer_config.json'),
      JSON.stringify({ bos_token: '<s>', eos_token: '</s>' }),
    );
    const fromDir = readTokenizer(dir);
    expect(fromDir.kind).toBe('hf');
    expect(fromDir.eosId).toBe(8);
    const fromFile = readTokenizer(join(dir, 'tokenizer.json'), { addSpecialTokens: false });
    expect([...fromFile.encode('abc')]).toEqual([5]);
    expect(fromFile.eosId).toBe(8);
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(CharTokenizer.fromText('xy').toJSON()));
    expect(readTokenizer(join(dir, 'vocab.json')).kind).toBe('char');
    const empty = mkdtempSync(join(tmpdir(), 'tessera-tok-'));
    expect(() => readTokenizer(empty)).toThrow(/no tokenizer.json/);
    writeFileSync(join(empty, 'bad.json'), '{');
    expect(() => readTokenizer(join(empty, 'bad.json'))).toThrow(/not JSON/);
  });
});
