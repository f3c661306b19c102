import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWeights, parseSpec, type Tensor, type Weights, writeSafetensors } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { STACK_FRAME, workdir } from './helpers.js';
import { runMain } from './in-process.js';

const w = workdir();
// Two inputs, two classes: class 1 when x0 + x1 > 0.
const spec = parseSpec({
  format: 'tessera.model/v1',
  name: 'separable',
  inputs: { x: { dtype: 'float32', shape: ['batch', 2] } },
  outputs: { logits: 'out' },
  nodes: [
    { id: 'hidden', op: 'linear', inFeatures: 2, outFeatures: 8 },
    { id: 'act', op: 'tanh' },
    { id: 'out', op: 'linear', inFeatures: 8, outFeatures: 2 },
  ],
});
w.write('sep.json', JSON.stringify(spec));
w.write('sep.w.safetensors', writeSafetensors(initWeights(spec, 0)));
const points = Array.from({ length: 64 }, (_, i) => [Math.sin(i * 1.7) * 2, Math.cos(i * 2.3) * 2]);
w.write(
  'sep.jsonl',
  points
    .map(([a, b]) => JSON.stringify({ inputs: { x: [a, b] }, target: a + b > 0 ? 1 : 0 }))
    .join('\n'),
);

describe('tessera train (plumbing, with a stand-in for backend-tfjs)', () => {
  it('hands the stacked data and the options to train, shows progress and writes the weights', async () => {
    const calls: {
      data: { inputs: Record<string, Tensor>; targets: Tensor };
      options: Record<string, unknown>;
    }[] = [];
    const fakeTfjs = {
      createBackend: async () => ({}),
      ensureTfBackend: async (v: string) => {
        if (v !== 'cpu') throw new Error(`variant ${v} is not available`);
      },
    };
    const fakeTraining = {
      async train(
        _spec: unknown,
        weights: Weights,
        data: { inputs: Record<string, Tensor>; targets: Tensor },
        options: Record<string, unknown> & { onProgress(p: object): void },
      ) {
        calls.push({ data, options });
        for (let step = 1; step <= 4; step++)
          options.onProgress({
            step,
            epoch: Math.ceil(step / 2),
            loss: 1 / step,
            examplesPerSecond: 100,
          });
        const out: Weights = new Map();
        for (const [k, t] of weights)
          out.set(k, { ...t, data: (t.data as Float32Array).map((v) => v + 1) });
        return { weights: out, history: [], aborted: false };
      },
    };
    const r = await runMain(
      [
        'train',
        'sep.json',
        '--weights',
        'sep.w.safetensors',
        '--data',
        'sep.jsonl',
        '--loss',
        'crossEntropy',
        '--optimizer',
        'sgd',
        '--epochs',
        '2',
        '--lr',
        '0.1',
        '--batch-size',
        '32',
        '--seed',
        '4',
        '--freeze',
        'hidden',
        '-o',
        'fake.safetensors',
      ],
      {
        cwd: w.dir,
        modules: { '@tessera/backend-tfjs': fakeTfjs, '@tessera/backend-tfjs/train': fakeTraining },
      },
    );
    expect(r.stderr).toContain('100% epoch 2/2 loss 0.2500');
    expect(r.status).toBe(0);
    expect(calls).toHaveLength(1);
    const { data, options } = calls[0];
    expect(data.inputs.x.shape).toEqual([64, 2]);
    expect(Array.from(data.inputs.x.data.subarray(0, 2))).toEqual([
      Math.fround(points[0][0]),
      Math.fround(points[0][1]),
    ]);
    expect(data.targets.dtype).toBe('int32');
    expect(Array.from(data.targets.data)).toEqual(points.map(([a, b]) => (a + b > 0 ? 1 : 0)));
    expect(options).toMatchObject({
      loss: 'crossEntropy',
      optimizer: 'sgd',
      epochs: 2,
      learningRate: 0.1,
      batchSize: 32,
      seed: 4,
      freeze: ['hidden'],
    });
    const written = w.tensors('fake.safetensors');
    const start = initWeights(spec, 0);
    for (const [k, t] of start)
      expect(written.get(k)!.data).toEqual((t.data as Float32Array).map((v) => v + 1));
  });

  it('checks its arguments before training', async () => {
    const modules = {
      '@tessera/backend-tfjs': { createBackend: async () => ({}) },
      '@tessera/backend-tfjs/train': { train: async () => ({}) },
    };
    const base = [
      'train',
      'sep.json',
      '--weights',
      'sep.w.safetensors',
      '--data',
      'sep.jsonl',
      '-o',
      'x.safetensors',
    ];
    expect((await runMain([...base], { cwd: w.dir, modules })).stderr).toContain(
      '--loss is required',
    );
    expect((await runMain([...base, '--loss', 'hinge'], { cwd: w.dir, modules })).status).toBe(2);
    const frozen = await runMain([...base, '--loss', 'mse', '--freeze', 'nope'], {
      cwd: w.dir,
      modules,
    });
    expect(frozen.status).toBe(2);
    expect(frozen.stderr).toContain('--freeze names no node "nope"');
    w.write(
      'bad.jsonl',
      '{"inputs": {"x": [1, 2]}, "target": 1}\n{"inputs": {"x": [1]}, "target": 0}\n',
    );
    const bad = await runMain(
      [
        'train',
        'sep.json',
        '--weights',
        'sep.w.safetensors',
        '--data',
        'bad.jsonl',
        '--loss',
        'crossEntropy',
        '-o',
        'x.safetensors',
      ],
      { cwd: w.dir, modules },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('error: bad.jsonl:2: inputs.x: dim 0 is 1, expected 2');
  });
});

// The real trainer, once @tessera/backend-tfjs is built with its train entry.
// The installed package's build (the cli depends on it; node_modules links it).
const tfjsDist = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'node_modules',
  '@tessera',
  'backend-tfjs',
  'dist',
  'train.js',
);

describe('tessera train (built binary)', () => {
  it('reports a bad data line and a bad weights file before training', () => {
    w.write(
      'short.jsonl',
      '{"inputs": {"x": [1, 2]}, "target": 1}\n{"inputs": {"x": [1, 2]}, "target": "one"}\n',
    );
    const r = w.tessera(
      'train',
      'sep.json',
      '--weights',
      'sep.w.safetensors',
      '--data',
      'short.jsonl',
      '--loss',
      'crossEntropy',
      '-o',
      't.safetensors',
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'error: short.jsonl:2: target: holds "one", not a finite number (this loss takes int32 class ids)',
    );
    const noWeights = w.tessera(
      'train',
      'sep.json',
      '--weights',
      'missing.safetensors',
      '--data',
      'sep.jsonl',
      '--loss',
      'mse',
      '-o',
      't.safetensors',
    );
    expect(noWeights.status).toBe(1);
    expect(noWeights.stderr.trim()).toBe('error: missing.safetensors: cannot read: no such file');
  });

  it.runIf(existsSync(tfjsDist))(
    'lowers the loss on a separable problem and writes weights the reference can run',
    () => {
      const r = w.tessera(
        'train',
        'sep.json',
        '--weights',
        'sep.w.safetensors',
        '--data',
        'sep.jsonl',
        '--loss',
        'crossEntropy',
        '--optimizer',
        'adam',
        '--lr',
        '0.05',
        '--epochs',
        '20',
        '--batch-size',
        '16',
        '-o',
        'trained.safetensors',
      );
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.status).toBe(0);
      const losses = [...r.stderr.matchAll(/loss (\S+)/g)].map((m) => Number(m[1]));
      expect(losses.length).toBeGreaterThan(0);
      const final = Number(/final loss (\S+);/.exec(r.stdout)?.[1]);
      // Two balanced classes start near ln 2 ≈ 0.69; a separable set trains well below that.
      expect(final).toBeLessThan(0.3);
      const run = w.tessera(
        'run',
        'sep.json',
        '--weights',
        'trained.safetensors',
        '--random-inputs',
      );
      expect(run.status).toBe(0);
    },
  );
});
