import { describe, expect, test } from 'vitest';
import { asRuntimeFailure, RuntimeFailure, SpecError } from './errors.js';

describe('RuntimeFailure', () => {
  test("a runtime's message loses its colour codes and empty error lines", () => {
    // The shape of onnxruntime-node's allocation failure as the adversarial probe saw it.
    const ort = new Error(
      '\u001b[1;31m2026-11-30 [E:onnxruntime:, sequential_executor.cc:572] Non-zero status code returned while running MatMul node.\u001b[m\nerror:\n' +
        'Failed to allocate memory for requested buffer of size 8589934592 (BFCArena)',
    );
    const failure = new RuntimeFailure('ort:node', ort, 'attn');
    expect(failure.message.includes('\u001b')).toBe(false);
    expect(failure.message).toBe(
      'ort:node failed at node "attn": 2026-11-30 [E:onnxruntime:, sequential_executor.cc:572] Non-zero status code returned while running MatMul node.; ' +
        'Failed to allocate memory for requested buffer of size 8589934592 (BFCArena) (the runtime could not allocate a tensor: the model or its inputs are too large for it; the default limits refuse such runs before they start)',
    );
    expect(failure.outOfMemory).toBe(true);
    expect(failure.cause).toBe(ort);
  });

  test('a long message is cut with its length; other failures are not called memory', () => {
    const failure = new RuntimeFailure('tfjs:cpu', new Error('x'.repeat(5000)));
    expect(failure.message).toBe(`tfjs:cpu failed: ${'x'.repeat(400)}… (5,000 characters)`);
    expect(failure.outOfMemory).toBe(false);
  });

  test('asRuntimeFailure keeps Tessera errors as they are', () => {
    const spec = new SpecError([{ path: [], message: 'bad' }]);
    expect(asRuntimeFailure(spec, 'reference')).toBe(spec);
    expect(
      asRuntimeFailure(new RangeError('Invalid typed array length: 5'), 'reference'),
    ).toBeInstanceOf(RuntimeFailure);
  });
});
