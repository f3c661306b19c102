import { describe, expect, test } from 'vitest';
import { readTokenizerFiles } from './TokenizerLoader';

// A tiny WordPiece tokenizer.json: whitespace split, then the vocabulary below.
const tokenizerJson = {
  version: '1.0',
  added_tokens: [
    {
      id: 0,
      content: '[UNK]',
      special: true,
      normalized: false,
      lstrip: false,
      rstrip: false,
      single_word: false,
    },
    {
      id: 1,
      content: '[EOS]',
      special: true,
      normalized: false,
      lstrip: false,
      rstrip: false,
      single_word: false,
    },
  ],
  normalizer: null,
  pre_tokenizer: { type: 'WhitespaceSplit' },
  post_processor: null,
  decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: { '[UNK]': 0, '[EOS]': 1, the: 2, cat: 3, '##s': 4 },
  },
};

describe('readTokenizerFiles', () => {
  test('takes the tokenizer.json and its config in either order', async () => {
    const files = [
      new File([JSON.stringify({ eos_token: '[EOS]' })], 'tokenizer_config.json'),
      new File([JSON.stringify(tokenizerJson)], 'tokenizer.json'),
    ];
    const { tokenizer, name, config } = await readTokenizerFiles(files);
    expect(name).toBe('tokenizer.json + tokenizer_config.json');
    // Kept for the generation worker, which rebuilds the tokenizer from both.
    expect(config).toEqual({ eos_token: '[EOS]' });
    expect(tokenizer.vocabSize).toBe(5);
    expect(tokenizer.eosId).toBe(1);
    expect([...tokenizer.encode('the cats dog')]).toEqual([2, 3, 4, 0]);
    expect(tokenizer.decode([2, 3, 4])).toBe('the cats');
  });

  test('says what is wrong with other files', async () => {
    await expect(readTokenizerFiles([new File(['{'], 'x.json')])).rejects.toThrow(
      /x.json: not JSON/,
    );
    await expect(readTokenizerFiles([new File(['{}'], 'y.json')])).rejects.toThrow(
      /choose a tokenizer.json/,
    );
  });
});
