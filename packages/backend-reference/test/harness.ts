// Small helpers for the kernel tests: build a one- or few-node spec around explicit tensors, give
// its weights by name, evaluate in float64; read the committed PyTorch fixtures.
import { readFileSync } from 'node:fs';
import {
  type ModelSpec,
  type NodeInput,
  parseSpec,
  type Tensor,
  type Weights,
  weightManifest,
} from '@tessera/spec';
import { expect } from 'vitest';
import { compileReference, type F64Tensor, type RunFloat64Options } from '../src/index.js';

export function f32(shape: number[], data: number[]): Tensor {
  return { dtype: 'float32', shape, data: Float32Array.from(data) };
}

export function i32(shape: number[], data: number[]): Tensor {
  return { dtype: 'int32', shape, data: Int32Array.from(data) };
}

/** A spec whose inputs have the fixed shapes of `inputs`; outputs default to { out: last node }. */
export function buildSpec(
  inputs: Record<string, Tensor>,
  nodes: NodeInput[],
  outputs?: Record<string, string>,
): ModelSpec {
  return parseSpec({
    format: 'tessera.model/v1',
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape }]),
    ),
    outputs: outputs ?? { out: nodes[nodes.length - 1].id },
    nodes,
  });
}

/** Every weight of the manifest, from `values` by name (shapes from the manifest). */
export function weightsFor(spec: ModelSpec, values: Record<string, number[]>): Weights {
  const weights: Weights = new Map();
  for (const w of weightManifest(spec)) {
    if (!Object.hasOwn(values, w.name)) throw new Error(`test gives no value for ${w.name}`);
    weights.set(w.name, f32(w.shape, values[w.name]));
  }
  return weights;
}

export function evaluate(
  nodes: NodeInput[],
  inputs: Record<string, Tensor>,
  weights: Record<string, number[]> = {},
  outputs?: Record<string, string>,
  options?: RunFloat64Options,
): Record<string, F64Tensor> {
  const spec = buildSpec(inputs, nodes, outputs);
  return compileReference(spec, weightsFor(spec, weights)).runFloat64(inputs, options);
}

/** |got - want| ≤ atol elementwise; float64 hand values agree to ~1e-15. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol = 1e-12): void {
  expect(got.length, 'length').toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok =
      Math.abs(got[i] - want[i]) <= atol ||
      (Number.isNaN(got[i]) && Number.isNaN(want[i])) ||
      got[i] === want[i];
    if (!ok) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]} (atol ${atol})`);
  }
}

/** A tensor as the fixture scripts store it (test/fixtures/make-*-fixtures.py). */
export interface Stored {
  shape: number[];
  data: number[];
}

/** One PyTorch fixture case: a node, its float inputs, its module's state_dict and the outputs. */
export interface TorchCase<Expected = { out: Stored }> {
  node: NodeInput;
  inputs: Record<string, Stored>;
  weights: Record<string, Stored>;
  expected: Expected;
}

/** A committed fixture file of test/fixtures, parsed. */
export function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as T;
}

/** Stored tensors as float32 tensors (the fixtures' values are exact in float32). */
export function storedFloats(stored: Record<string, Stored>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(stored).map(([k, t]) => [k, f32(t.shape, t.data)]));
}

/** A stored state_dict as values by name, each name under `prefix` (`n.` for a node `n`). */
export function storedValues(
  stored: Record<string, Stored>,
  prefix = '',
): Record<string, number[]> {
  return Object.fromEntries(Object.entries(stored).map(([k, t]) => [`${prefix}${k}`, t.data]));
}

/** The spec's manifest is exactly the stored state_dict: the same names with the same shapes. */
export function expectStateDict(
  spec: ModelSpec,
  stored: Record<string, Stored>,
  prefix = '',
): void {
  const manifest = weightManifest(spec);
  expect(manifest.map((w) => w.name).sort()).toEqual(
    Object.keys(stored)
      .map((k) => `${prefix}${k}`)
      .sort(),
  );
  for (const w of manifest)
    expect(w.shape, w.name).toEqual(stored[w.name.slice(prefix.length)].shape);
}
