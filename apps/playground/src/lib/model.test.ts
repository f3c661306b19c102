import { buildPreset, initWeights } from '@tessera/spec';
import { expect, test } from 'vitest';
import { checkSpecText } from './diagnostics';
import { inputsOf, runBlocker, tokenizerOf, weightSourceText, weightsOf } from './model';

const rnn = buildPreset('rnnClassifier');

test('loaded weights are used only while they fit, and the text says which are used', () => {
  const loaded = { weights: initWeights(rnn, 3), name: 'rnn.safetensors' };
  const fits = weightsOf(rnn, 0, loaded);
  expect(fits.weights).toBe(loaded.weights);
  expect(weightSourceText(fits.source)).toBe('using rnn.safetensors');
  const wider = buildPreset('rnnClassifier', { hiddenSize: 24 });
  const other = weightsOf(wider, 2, loaded);
  expect(other.weights).not.toBe(loaded.weights);
  expect(weightSourceText(other.source)).toBe(
    'using seeded weights (seed 2): rnn.safetensors does not fit this spec',
  );
  expect(other.source.kind === 'seeded' && other.source.unused?.problem).toContain('rnn.');
  expect(weightSourceText(weightsOf(rnn, 4, null).source)).toBe('using seeded weights (seed 4)');
});

test("a language model's inputs are the prompt's tokens, with their labels", () => {
  const lm = buildPreset('transformerLM');
  const r = inputsOf(lm, { batch: 1, time: 8 }, 0, tokenizerOf(lm, null), 'the');
  expect('tensors' in r && r.tokens).toEqual(['t', 'h', 'e']);
  const c = inputsOf(rnn, { batch: 1, time: 3 }, 0, null, '');
  expect('tensors' in c && c.tokens).toEqual(['0', '1', '2']);
});

test('Run says why it cannot start', () => {
  const ok = checkSpecText(JSON.stringify(rnn));
  const inputs = inputsOf(rnn, { batch: 1, time: 3 }, 0, null, '');
  expect(runBlocker(checkSpecText('{'), inputs, [], 'reference:f64')).toBe(
    'the spec has 1 problem (listed under the editor): fix it to run',
  );
  expect(runBlocker(ok, inputs, [], 'reference:f64')).toBe('reference:f64 is still starting');
  expect(
    runBlocker(
      ok,
      inputs,
      [{ label: 'ort:webgpu', reason: 'no WebGPU', detail: '' }],
      'ort:webgpu',
    ),
  ).toBe('ort:webgpu cannot start in this browser: no WebGPU');
  expect(runBlocker(ok, { problem: 'bad' }, [], 'x')).toBe('the inputs cannot be made: bad');
});
