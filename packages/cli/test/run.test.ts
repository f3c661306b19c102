import { createBackend } from '@tessera/backend-reference';
import {
  buildPreset,
  defaultBindings,
  initWeights,
  type PresetName,
  presets,
  randomInputs,
  type Tensor,
  writeSafetensors,
} from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { STACK_FRAME, workdir } from './helpers.js';

const w = workdir();
const names = Object.keys(presets) as PresetName[];

/** What the reference computes in-process for the same spec, weights and inputs. */
async function expected(
  preset: PresetName,
  inputs: Record<string, Tensor>,
  seed: number,
): Promise<Record<string, Tensor>> {
  const spec = buildPreset(preset);
  const backend = await createBackend();
  const model = await backend.compile(spec, initWeights(spec, seed));
  try {
    return await model.run(inputs);
  } finally {
    await model.dispose();
  }
}

describe('tessera run on the reference backend', () => {
  it.each(names)(
    '%s: preset → init-weights → run --random-inputs matches the library',
    async (name) => {
      expect(w.tessera('preset', name, '-o', `${name}.json`).status).toBe(0);
      expect(
        w.tessera('init-weights', `${name}.json`, '--seed', '3', '-o', `${name}.w.safetensors`)
          .status,
      ).toBe(0);
      const r = w.tessera(
        'run',
        `${name}.json`,
        '--weights',
        `${name}.w.safetensors`,
        '--random-inputs',
        '--seed',
        '5',
        '--backend',
        'reference',
        '-o',
        `${name}.out.safetensors`,
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const spec = buildPreset(name);
      // Unbound dims default to 2 with --random-inputs.
      const want = await expected(name, randomInputs(spec, defaultBindings(spec, {}, 2), 5), 3);
      const got = w.tensors(`${name}.out.safetensors`);
      expect([...got.keys()].sort()).toEqual(Object.keys(want).sort());
      for (const [k, t] of Object.entries(want)) {
        expect(got.get(k)).toEqual(t);
        expect(r.stdout).toContain(`output ${k} ${t.dtype} [${t.shape.join(', ')}]`);
      }
    },
  );

  it('reads --inputs from safetensors and honours --bind for random inputs', async () => {
    const spec = buildPreset('charRnnLM');
    const inputs = randomInputs(spec, { batch: 3, time: 4 }, 11);
    w.write('lm.json', JSON.stringify(spec));
    w.write('lm.w.safetensors', writeSafetensors(initWeights(spec, 1)));
    w.write('lm.in.safetensors', writeSafetensors(new Map(Object.entries(inputs))));
    const fromFile = w.tessera(
      'run',
      'lm.json',
      '--weights',
      'lm.w.safetensors',
      '--inputs',
      'lm.in.safetensors',
      '-o',
      'a.safetensors',
    );
    expect(fromFile.status).toBe(0);
    const bound = w.tessera(
      'run',
      'lm.json',
      '--weights',
      'lm.w.safetensors',
      '--random-inputs',
      '--seed',
      '11',
      '--bind',
      'batch=3,time=4',
      '-o',
      'b.safetensors',
    );
    expect(bound.status).toBe(0);
    const want = await expected('charRnnLM', inputs, 1);
    expect(w.tensors('a.safetensors').get('logits')).toEqual(want.logits);
    expect(w.tensors('b.safetensors').get('logits')).toEqual(want.logits);
    expect(want.logits.shape).toEqual([3, 4, 64]);
  });

  describe('bad inputs: exit 1, one readable line per problem, no stack', () => {
    const spec = buildPreset('rnnClassifier');
    w.write('rnn.json', JSON.stringify(spec));
    w.write('rnn.w.safetensors', writeSafetensors(initWeights(spec, 0)));

    it('a weights file with a missing and a mis-shaped tensor names both', () => {
      const weights = initWeights(spec, 0);
      weights.delete('head.bias');
      weights.set('head.weight', { dtype: 'float32', shape: [4, 15], data: new Float32Array(60) });
      w.write('bad.w.safetensors', writeSafetensors(weights));
      const r = w.tessera('run', 'rnn.json', '--weights', 'bad.w.safetensors', '--random-inputs');
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toContain(
        'error: bad.w.safetensors: head.bias: is missing (expected float32 [4])',
      );
      expect(lines).toContain(
        'error: bad.w.safetensors: head.weight: has shape [4, 15], expected [4, 16]',
      );
      expect(lines).toHaveLength(2);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    });

    it('a truncated weights file is reported against the file', () => {
      const bytes = writeSafetensors(initWeights(spec, 0));
      w.write('short.w.safetensors', bytes.subarray(0, bytes.length - 10));
      const r = w.tessera('run', 'rnn.json', '--weights', 'short.w.safetensors', '--random-inputs');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^error: short\.w\.safetensors: \S+: .*truncated/m);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    });

    it('an input of the wrong dtype names the input', () => {
      const x: Tensor = { dtype: 'int32', shape: [2, 3, 8], data: new Int32Array(48) };
      w.write('int.in.safetensors', writeSafetensors(new Map([['x', x]])));
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--inputs',
        'int.in.safetensors',
      );
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^error: int\.in\.safetensors: x: has dtype int32\b.*, expected float32$/,
      );
    });

    it('an input with a wrong width and an extra input are both named', () => {
      const x: Tensor = { dtype: 'float32', shape: [2, 3, 7], data: new Float32Array(42) };
      w.write(
        'wide.in.safetensors',
        writeSafetensors(
          new Map([
            ['x', x],
            ['y', x],
          ]),
        ),
      );
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--inputs',
        'wide.in.safetensors',
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('error: wide.in.safetensors: y: is not an input of this model');
      expect(r.stderr).toContain('error: wide.in.safetensors: x: dim 2 is 7, expected 8');
    });

    it('random inputs over the activation limit are refused before they are allocated', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--random-inputs',
        '--bind',
        'batch=100000,time=100000',
      );
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^error: random inputs: x: would hold 80000000000 elements, over the limit of \d+$/,
      );
    });

    it('--bind that contradicts the inputs is an input error', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--inputs',
        'a.safetensors',
        '--bind',
        'batch=9',
      );
      expect(r.status).toBe(1);
    });
  });

  describe('other installed backends, resolved by name', () => {
    const spec = buildPreset('speechRecognizer');
    w.write('speech.json', JSON.stringify(spec));
    w.write('speech.w.safetensors', writeSafetensors(initWeights(spec, 4)));

    it.each(['ort:node', 'tfjs:cpu', 'gpujs:cpu'])(
      '%s agrees with the reference within the float32 tolerance',
      async (label) => {
        const r = w.tessera(
          'run',
          'speech.json',
          '--weights',
          'speech.w.safetensors',
          '--random-inputs',
          '--seed',
          '2',
          '--backend',
          label,
          '-o',
          `speech-${label.replace(':', '-')}.safetensors`,
        );
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(`on ${label}:`);
        const want = (
          await expected('speechRecognizer', randomInputs(spec, defaultBindings(spec, {}, 2), 2), 4)
        ).logits;
        const got = w.tensors(`speech-${label.replace(':', '-')}.safetensors`).get('logits')!;
        expect(got.shape).toEqual(want.shape);
        // DESIGN.md §4: |got − want| ≤ atol + rtol·|want| with atol 1e-5, rtol 1e-4.
        for (const [i, v] of want.data.entries())
          expect(Math.abs(got.data[i] - v)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(v));
      },
    );
  });

  describe('backends', () => {
    it('an unknown backend is a usage error listing the installed ones', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--random-inputs',
        '--backend',
        'cuda',
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/unknown backend "cuda" \(available: .*reference/);
    });

    it('an unknown variant is a usage error too, listing the variants', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--random-inputs',
        '--backend',
        'ort:cuda',
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/backend ort has no variant "cuda" \(its variants: node, wasm/);
    });

    it('a backend name that is not a plain name never reaches import()', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--random-inputs',
        '--backend',
        '../../spec',
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('is not of the form name[:variant]');
    });

    it('a variant the backend does not have is a usage error', () => {
      const r = w.tessera(
        'run',
        'rnn.json',
        '--weights',
        'rnn.w.safetensors',
        '--random-inputs',
        '--backend',
        'reference:f16',
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('backend reference has no variant "f16" (its variants: f64)');
    });

    it('needs exactly one of --inputs and --random-inputs', () => {
      expect(w.tessera('run', 'rnn.json', '--weights', 'rnn.w.safetensors').status).toBe(2);
    });
  });
});
