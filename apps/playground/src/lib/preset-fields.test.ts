import { presetParameters } from '@tessera/spec';
import { expect, test } from 'vitest';
import { buildFromFields, defaultFields, fieldKind, parseField } from './preset-fields';

test('each preset builds from its default fields', () => {
  for (const name of Object.keys(presetParameters) as (keyof typeof presetParameters)[])
    expect(buildFromFields(name, defaultFields(name)).ok, name).toBe(true);
});

test('a field is checked by its kind', () => {
  expect(fieldKind('rnnClassifier', 'cell')).toEqual({
    kind: 'choice',
    choices: ['rnn', 'lstm', 'gru'],
  });
  expect(parseField('rnnClassifier', 'cell', 'gru')).toEqual({ value: 'gru' });
  expect(parseField('rnnClassifier', 'cell', 'tcn')).toEqual({ problem: 'one of rnn, lstm, gru' });
  expect(parseField('rnnClassifier', 'hiddenSize', ' 24 ')).toEqual({ value: 24 });
  expect(parseField('rnnClassifier', 'hiddenSize', '')).toEqual({ problem: 'a number > 0' });
  expect(parseField('rnnClassifier', 'hiddenSize', '-3')).toEqual({ problem: 'a number > 0' });
  expect(parseField('rnnClassifier', 'bidirectional', 'true')).toEqual({ value: true });
  expect(parseField('cnnClassifier', 'channels', '6, 16')).toEqual({ value: [6, 16] });
  expect(parseField('cnnClassifier', 'channels', '6')).toEqual({
    problem: '2 whole numbers > 0, separated by commas',
  });
  expect(defaultFields('cnnClassifier').channels).toBe('6, 16');
});

test("values that make no valid spec are reported at the field typed, with the spec's reason", () => {
  const fields = { ...defaultFields('transformerLM'), dModel: '30' };
  const r = buildFromFields('transformerLM', fields, 'dModel');
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.problems.dModel).toMatch(/^these values make no valid transformerLM: /);
  // A size that must be whole: the schema says so.
  const half = buildFromFields(
    'rnnClassifier',
    { ...defaultFields('rnnClassifier'), hiddenSize: '2.5' },
    'hiddenSize',
  );
  expect(half.ok).toBe(false);
});
