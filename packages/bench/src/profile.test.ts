import * as gpujs from '@tessera/backend-gpujs';
import * as ort from '@tessera/backend-ort';
import * as reference from '@tessera/backend-reference';
import * as tfjs from '@tessera/backend-tfjs';
import { startVariant, variantsIn } from '@tessera/spec';
import { expect, test } from 'vitest';
import { benchModels } from './models.js';
import {
  type Profile,
  type ProfilePair,
  profileModel,
  renderProfileMarkdown,
  renderProfileTerminal,
} from './profile.js';

const model = (id: string) => benchModels().find((b) => b.id === id)!;

/** The node variant `label` of the manifests, started: what the CLI hands profileModel. */
async function entry(label: string) {
  const packages = [gpujs, ort, reference, tfjs].map((mod) => ({
    manifest: mod.manifest,
    load: async () => mod,
  }));
  const found = variantsIn(packages, 'node').find((e) => e.label === label)!;
  return { label, variant: found.variant, backend: await startVariant(found) };
}

function expectWellFormed(p: Profile, runs: number) {
  expect(p.runs).toBe(runs);
  expect(p.ops.length).toBeGreaterThan(0);
  expect(p.totalMs).toBeCloseTo(
    p.ops.reduce((s, o) => s + o.ms, 0),
    9,
  );
  for (let i = 1; i < p.ops.length; i++)
    expect(p.ops[i - 1].ms).toBeGreaterThanOrEqual(p.ops[i].ms);
  // Every pass runs the same kernels: calls per pass are whole numbers.
  for (const o of p.ops) expect(Number.isInteger(o.calls)).toBe(true);
}

test('ort:node: ONNX Runtime profiles split by op type, one LSTM node per layer on both sides', async () => {
  const e = await entry('ort:node');
  const m = model('lstm/small');
  const pair = await profileModel(m, e, e.backend, 2);
  expectWellFormed(pair.tessera, 2);
  expectWellFormed(pair.peer!, 2);
  // lstm/small has two layers; each is one ONNX LSTM node in Tessera's graph and the hand-built one.
  expect(pair.tessera.ops.find((o) => o.op === 'LSTM')?.calls).toBe(2);
  expect(pair.peer!.ops.find((o) => o.op === 'LSTM')?.calls).toBe(2);
  expect(pair.peer!.label).toBe('hand-built ORT fused graph');
});

test('gpujs:cpu: kernel times summed by spec op; the tf.layers model on tfjs-wasm as the peer', async () => {
  const e = await entry('gpujs:cpu');
  const m = model('transformerLM/small');
  const pair = await profileModel(m, e, e.backend, 1);
  expectWellFormed(pair.tessera, 1);
  // The composites gpujs decomposes are lowered before planning: their parts are what the
  // profile names.
  const ops = new Set(pair.tessera.ops.map((o) => o.op));
  for (const op of ['embedding', 'layerNorm', 'linear', 'gelu', 'add']) expect(ops).toContain(op);
  expect(ops).not.toContain('transformerEncoderLayer');
  // GFLOP/s per spec op from countFlops of the graph the backend ran (the profiler's `graph`).
  // Over 2 × 32 = 64 tokens, in each of the 2 layers: linear1 (2·64·64·256 + 64·256 with its
  // bias), linear2 (2·64·256·64 + 64·64) and the attention's four projections (2·64·64·64 + 64·64
  // each); and the bias-free head (2·64·64·64): 13,180,928 FLOPs.
  const linear = pair.tessera.ops.find((o) => o.op === 'linear')!;
  expect(linear.gflops! * linear.ms * 1e6).toBeCloseTo(13_180_928, -1);
  expect(pair.peer!.label).toBe('tf.layers on tfjs-wasm');
  expect(pair.peer!.unit).toBe('tfjs kernel');
  expectWellFormed(pair.peer!, 1);
});

test('tfjs:cpu: tf.profile kernels for Tessera and for the tf.layers model', async () => {
  const e = await entry('tfjs:cpu');
  const m = model('cnnClassifier/small');
  const pair = await profileModel(m, e, e.backend, 1);
  expectWellFormed(pair.tessera, 1);
  expectWellFormed(pair.peer!, 1);
  // cnnClassifier has two conv2d layers: both sides run two convolution kernels per pass.
  const convs = (p: Profile) =>
    p.ops.filter((o) => /Conv2D/.test(o.op)).reduce((s, o) => s + o.calls, 0);
  expect(convs(pair.tessera)).toBe(2);
  expect(convs(pair.peer!)).toBe(2);
});

test('a variant whose manifest names no profiler is refused by name', async () => {
  const e = await entry('reference:f64');
  await expect(profileModel(model('lstm/small'), e, e.backend, 1)).rejects.toThrow(
    /reference:f64 has no per-op timer: its manifest names no profiler/,
  );
});

test('the report: the slowest ops, their shares, then the rest as one row', () => {
  const p = (label: string, ops: [string, number][]): Profile => ({
    label,
    unit: 'spec op',
    runs: 2,
    totalMs: ops.reduce((s, [, ms]) => s + ms, 0),
    ops: ops.map(([op, ms]) => ({ op, ms, calls: 1 })),
  });
  const tessera = p('gpujs:cpu', [
    ['linear', 6],
    ['softmax', 2],
    ['add', 1.5],
    ['relu', 0.5],
  ]);
  // 3 GFLOP in 6 ms per pass: 500 GFLOP/s.
  tessera.ops[0].gflops = 500;
  const pair: ProfilePair = {
    model: 'm/small',
    backend: 'gpujs:cpu',
    tessera,
    peer: p('peer', [['MatMul', 4]]),
  };
  const md = renderProfileMarkdown([pair], 2);
  // 6 of 10 ms is 60%, 2 is 20%; the other two ops (2 ms, 2 calls) are 20%.
  expect(md).toContain(
    '| gpujs:cpu spec op | calls | ms | share | GFLOP/s | peer spec op | calls |',
  );
  expect(md).toContain('| linear | 1 | 6.0 | 60.0% | 500.00 | MatMul | 1 | 4.0 | 100.0% |');
  expect(md).toContain('| softmax | 1 | 2.0 | 20.0% |  |  |  |  |  |');
  expect(md).toContain('| 2 others | 2 | 2.0 | 20.0% |  |  |  |  |  |');
  expect(md).toContain('m/small: gpujs:cpu 10.0 ms per forward pass');
  const text = renderProfileTerminal([pair], 2);
  expect(text.split('\n')[1]).toMatch(
    /^gpujs:cpu spec op\s+calls\s+ms\s+share\s+GFLOP\/s {4}peer spec op/,
  );
});
