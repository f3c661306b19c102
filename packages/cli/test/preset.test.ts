import { buildPreset, type PresetName, parseSpec, presetParameters, presets } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';

const w = workdir();
const names = Object.keys(presets) as PresetName[];

describe('tessera preset', () => {
  it.each(names)('%s writes the library preset', (name) => {
    const r = w.tessera('preset', name, '-o', `${name}.json`);
    expect(r.status).toBe(0);
    const written = JSON.parse(w.read(`${name}.json`).toString('utf8'));
    expect(parseSpec(written)).toEqual(buildPreset(name));
  });

  it('prints to stdout without -o and accepts kebab-case names', () => {
    const r = w.tessera('preset', 'char-rnn-lm');
    expect(r.status).toBe(0);
    expect(parseSpec(r.stdout)).toEqual(buildPreset('charRnnLM'));
  });

  it('parses --set values by the type of each default', () => {
    const r = w.tessera(
      'preset',
      'rnnClassifier',
      '--set',
      'cell=gru',
      '--set',
      'hiddenSize=5',
      '--set',
      'bidirectional=true',
    );
    expect(r.status).toBe(0);
    expect(parseSpec(r.stdout)).toEqual(
      buildPreset('rnnClassifier', { cell: 'gru', hiddenSize: 5, bidirectional: true }),
    );
    const cnn = w.tessera('preset', 'cnnClassifier', '--set', 'channels=[4,8]');
    expect(cnn.status).toBe(0);
    expect(parseSpec(cnn.stdout)).toEqual(buildPreset('cnnClassifier', { channels: [4, 8] }));
  });

  it('an unknown preset is a usage error listing the presets', () => {
    const r = w.tessera('preset', 'alexnet');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown preset "alexnet"');
    for (const n of names) expect(r.stderr).toContain(n);
  });

  it('an unknown key is a usage error listing the parameters', () => {
    const r = w.tessera('preset', 'resnetTiny', '--set', 'depth=50');
    expect(r.status).toBe(2);
    for (const k of Object.keys(presetParameters.resnetTiny)) expect(r.stderr).toContain(k);
  });

  it('a value outside a string parameter choices is a usage error naming them', () => {
    const r = w.tessera('preset', 'rnnClassifier', '--set', 'cell=foo');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '--set cell must be one of rnn, lstm, gru (default "lstm"), got "foo"',
    );
  });

  it('sizes that give no valid spec name the settings', () => {
    const r = w.tessera('preset', 'cnnClassifier', '--set', 'height=4');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /cnnClassifier cannot be built with height=4: the spec it gives is invalid \(nodes\[\d+\]/,
    );
  });

  it('a value of the wrong type is a usage error', () => {
    const r = w.tessera('preset', 'resnetTiny', '--set', 'blocks=many');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--set blocks must be a number');
  });

  it('a value the spec rejects is a usage error naming the setting and the problem', () => {
    // nhead must divide dModel: 32 % 5 ≠ 0.
    const r = w.tessera('preset', 'transformerLM', '--set', 'nhead=5');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /transformerLM cannot be built with nhead=5: the spec it gives is invalid \(nodes\[\d+\]\.nhead: /,
    );
  });
});
