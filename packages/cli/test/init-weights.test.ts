import { buildPreset, initWeights, parseSpec, readSafetensors } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers.js';

const w = workdir();
const spec = buildPreset('resnetTiny');
w.write('resnet.json', JSON.stringify(spec));

describe('tessera init-weights', () => {
  it('writes the seeded weights of the library, with the spec in __metadata__', () => {
    const r = w.tessera('init-weights', 'resnet.json', '--seed', '7', '-o', 'w.safetensors');
    expect(r.status).toBe(0);
    const file = readSafetensors(new Uint8Array(w.read('w.safetensors')));
    const want = initWeights(spec, 7);
    expect([...file.tensors.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [name, t] of want) expect(file.tensors.get(name)).toEqual(t);
    expect(parseSpec(file.metadata['tessera.spec'])).toEqual(spec);
    expect(file.metadata['tessera.seed']).toBe('7');
  });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(
      w.tessera('init-weights', 'resnet.json', '--seed', '7', '-o', 'again.safetensors').status,
    ).toBe(0);
    expect(
      w.tessera('init-weights', 'resnet.json', '--seed', '8', '-o', 'other.safetensors').status,
    ).toBe(0);
    expect(w.read('again.safetensors').equals(w.read('w.safetensors'))).toBe(true);
    expect(w.read('other.safetensors').equals(w.read('w.safetensors'))).toBe(false);
  });

  it('--randomize-constants replaces the constant inits', () => {
    expect(
      w.tessera('init-weights', 'resnet.json', '--randomize-constants', '-o', 'r.safetensors')
        .status,
    ).toBe(0);
    expect(w.tensors('r.safetensors').get('stem_bn.running_var')).toEqual(
      initWeights(spec, 0, { randomizeConstants: true }).get('stem_bn.running_var'),
    );
  });

  it('needs -o and an integer seed', () => {
    expect(w.tessera('init-weights', 'resnet.json').status).toBe(2);
    const r = w.tessera('init-weights', 'resnet.json', '--seed', '1.5', '-o', 'x.safetensors');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--seed must be an integer');
  });
});
