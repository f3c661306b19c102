import { describe, expect, it } from 'vitest';
import { caseMatcher, parseKinds } from './select.js';

describe('caseMatcher', () => {
  const ids = [
    'linear/basic',
    'linear/no-bias',
    'layerNorm/affine',
    'relu/seq',
    'preset/gpt-small',
    'relu6/x',
  ];
  const pick = (globs: string | undefined) => ids.filter(caseMatcher(globs));

  it('selects everything when no glob is given', () => {
    expect(pick(undefined)).toEqual(ids);
    expect(pick(' , ')).toEqual(ids);
  });

  it('matches `*` against any run of characters, anchored at both ends', () => {
    expect(pick('l*')).toEqual(['linear/basic', 'linear/no-bias', 'layerNorm/affine']);
    expect(pick('*/seq')).toEqual(['relu/seq']);
    expect(pick('*bias')).toEqual(['linear/no-bias']);
  });

  it('takes a bare family name as the family, not as a prefix of other names', () => {
    expect(pick('relu')).toEqual(['relu/seq']);
    expect(pick('linear/basic')).toEqual(['linear/basic']);
  });

  it('unions a comma- or space-separated list, and treats regex characters literally', () => {
    expect(pick('relu,preset/*')).toEqual(['relu/seq', 'preset/gpt-small']);
    expect(pick('relu preset/*')).toEqual(['relu/seq', 'preset/gpt-small']);
    expect(pick('linear.basic')).toEqual([]);
  });
});

describe('parseKinds', () => {
  it('gives every kind for an empty list, and the named ones in their own order', () => {
    expect(parseKinds(undefined)).toEqual(['run', 'decode']);
    expect(parseKinds(' ')).toEqual(['run', 'decode']);
    expect(parseKinds('decode')).toEqual(['decode']);
    expect(parseKinds('decode,run')).toEqual(['run', 'decode']);
  });

  it('refuses an unknown kind, naming the known ones', () => {
    expect(() => parseKinds('run,step')).toThrow(
      'unknown kind of cell "step" (known: run, decode)',
    );
  });
});
