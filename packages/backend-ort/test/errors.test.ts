// Bad weights and bad inputs are rejected with Tessera's errors, naming the tensor, before ONNX
// Runtime is asked to do anything (no session is created, no run is started).
import {
  type Backend,
  InputError,
  initWeights,
  parseSpec,
  RuntimeFailure,
  type Tensor,
  transformerLM,
  WeightError,
} from '@tessera/spec';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createBackend } from '../src/index.js';

const runtimes = { node: ortNode, wasm: ortWeb } as const;
// Sessions are instances of onnxruntime-common's InferenceSession class (typed as a factory).
const sessionPrototype = (ort: typeof ortNode | typeof ortWeb) =>
  (ort.InferenceSession as unknown as { prototype: ortNode.InferenceSession }).prototype;
const spec = transformerLM({ vocabSize: 10, dModel: 8, nhead: 2, numLayers: 1, maxLength: 6 });
const tokens = (shape: number[], data: number[]): Tensor => ({
  dtype: 'int32',
  shape,
  data: Int32Array.from(data),
});

describe.each(['node', 'wasm'] as const)('ort:%s', (variant) => {
  let backend: Backend;
  const ort = runtimes[variant];
  beforeAll(async () => {
    backend = await createBackend({ variant });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('mismatching weights: WeightError naming each tensor, no session created', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const weights = initWeights(spec, 1);
    weights.delete('head.weight');
    weights.set('norm.weight', { dtype: 'float32', shape: [9], data: new Float32Array(9) });
    weights.set('extra.bias', { dtype: 'float32', shape: [1], data: new Float32Array(1) });
    const err = await backend.compile(spec, weights).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightError);
    const names = (err as WeightError).issues.map((i) => i.name).sort();
    expect(names).toEqual(['extra.bias', 'head.weight', 'norm.weight']);
    expect(create).not.toHaveBeenCalled();
  });

  describe('inputs', () => {
    test.each([
      [
        'wrong dtype',
        { tokens: { dtype: 'float32', shape: [1, 3], data: new Float32Array(3) } as Tensor },
        /tokens: has dtype float32.*expected int32/,
      ],
      ['wrong rank', { tokens: tokens([3], [1, 2, 3]) }, /tokens: has rank 1/],
      [
        'data length not matching the shape',
        { tokens: tokens([1, 3], [1, 2]) },
        /tokens: holds 2 values/,
      ],
      [
        'id out of range',
        { tokens: tokens([1, 3], [1, 10, 2]) },
        /tokens: id 10 at flat index 1 is out of range \[0, 10\)/,
      ],
      ['negative id', { tokens: tokens([1, 2], [-1, 2]) }, /tokens: id -1/],
      ['missing input', {}, /tokens: is missing/],
      [
        'unknown input',
        { tokens: tokens([1, 1], [1]), tokenz: tokens([1, 1], [1]) },
        /tokenz: is not an input/,
      ],
      [
        'sequence longer than maxLength',
        { tokens: tokens([1, 7], [1, 2, 3, 4, 5, 6, 7]) },
        /maxLength|6/,
      ],
    ] as const)(
      '%s: InputError naming the tensor, no run started',
      async (_label, inputs, message) => {
        const model = await backend.compile(spec, initWeights(spec, 1));
        const run = vi.spyOn(sessionPrototype(ort), 'run');
        try {
          const err = await model.run(inputs as Record<string, Tensor>).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(InputError);
          expect((err as Error).message).toMatch(message);
          expect(run).not.toHaveBeenCalled();
          // The model still works after a rejected call.
          await expect(
            model.run({ tokens: tokens([2, 3], [0, 1, 2, 3, 4, 9]) }),
          ).resolves.toHaveProperty('logits');
          expect(run).toHaveBeenCalledTimes(1);
        } finally {
          await model.dispose();
        }
      },
    );
  });

  test('dispose releases the session once; a disposed model refuses to run', async () => {
    const model = await backend.compile(spec, initWeights(spec, 1));
    const release = vi.spyOn(sessionPrototype(ort), 'release');
    await model.dispose();
    expect(release).toHaveBeenCalledTimes(1);
    await expect(model.run({ tokens: tokens([1, 1], [1]) })).rejects.toThrow(/disposed/);
    await model.dispose(); // twice is fine
    expect(release).toHaveBeenCalledTimes(1);
  });

  test("a runtime's own allocation failure, past limits the caller raised, is a RuntimeFailure", async () => {
    // [1, 1, 1] repeated 4096 times along three dims: the third repeat's Expand asks for 2^36
    // floats (256 GiB), which the allocator refuses at once (onnxruntime-node: BFCArena's
    // "Failed to allocate memory"; onnxruntime-web, 32-bit: "Tensor shape is too large").
    const huge = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [1, 1, 1] } },
      outputs: { y: 'r3' },
      nodes: [
        { id: 'r1', op: 'repeatInterleave', input: ['x'], repeats: 4096, dim: 0 },
        { id: 'r2', op: 'repeatInterleave', input: ['r1'], repeats: 4096, dim: 1 },
        { id: 'r3', op: 'repeatInterleave', input: ['r2'], repeats: 4096, dim: 2 },
      ],
    });
    const limits = { maxActivationElements: 2 ** 40 };
    const model = await backend.compile(huge, new Map(), { limits });
    const x: Tensor = { dtype: 'float32', shape: [1, 1, 1], data: Float32Array.of(1) };
    const err = await model.run({ x }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeFailure);
    const failure = err as RuntimeFailure;
    // No terminal colour codes, no empty lines.
    expect(failure.message.includes('\u001b') || failure.message.includes('\n')).toBe(false);
    if (variant === 'node') {
      // ORT names the ONNX node (r3's Expand); the error names the spec node.
      expect(failure.nodeId).toBe('r3');
      expect(failure.outOfMemory).toBe(true);
      expect(failure.message).toMatch(
        /^ort:node failed at node "r3": .*Failed to allocate memory for requested buffer of size 274877906944/,
      );
    } else {
      expect(failure.message).toMatch(/^ort:wasm failed: .*Tensor shape is too large/);
    }
    // The session is intact (the same run fails the same way), and the runtime runs other models.
    await expect(model.run({ x })).rejects.toBeInstanceOf(RuntimeFailure);
    await model.dispose();
    const after = await backend.compile(spec, initWeights(spec, 1));
    await expect(after.run({ tokens: tokens([1, 2], [1, 2]) })).resolves.toHaveProperty('logits');
    await after.dispose();
  });
});
