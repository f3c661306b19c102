// Ragged batches (§6.3) against PyTorch itself: packed recurrences (pack_padded_sequence with
// unsorted lengths, bidirectional stacks, initial states, lengths of 1 and of T), attention's
// key padding (self, causal, cross with a memory of another length), the encoder and decoder
// layers' padding masks, and the mean over valid steps. Expected values come from
// test/fixtures/make-lengths-fixtures.py (its header says how to regenerate); this test reads
// the committed JSON and needs no torch.
import { InputError, type NodeInput, parseSpec, weightManifest } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { compileReference } from '../src/index.js';
import {
  buildSpec,
  expectClose,
  expectStateDict,
  f32,
  i32,
  readFixture,
  type Stored,
  storedFloats,
  storedValues,
  type TorchCase,
  weightsFor,
} from './harness.js';

interface Case extends TorchCase<Record<string, Stored>> {
  lengths: Record<string, number[]>;
}

const fixture = readFixture<{ cases: Record<string, Case> }>('lengths-torch-cases.generated.json');

describe('agreement with PyTorch on padded batches', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} (${c.node.op})`, () => {
      const tensors = storedFloats(c.inputs);
      const lengths = Object.fromEntries(
        Object.entries(c.lengths).map(([k, v]) => [k, i32([v.length], v)]),
      );
      const ports = Object.keys(c.expected).filter((k) => k !== 'out');
      const spec = buildSpec(
        { ...tensors, ...lengths },
        [{ ...c.node, id: 'n', input: Object.keys(tensors) } as NodeInput],
        { out: 'n', ...Object.fromEntries(ports.map((p) => [p, `n:${p}`])) },
      );
      // The module's state_dict under the node `n`.
      expectStateDict(spec, c.weights, 'n.');
      const got = compileReference(
        spec,
        weightsFor(spec, storedValues(c.weights, 'n.')),
      ).runFloat64({
        ...tensors,
        ...lengths,
      });
      for (const [k, want] of Object.entries(c.expected)) {
        expect(got[k].shape, k).toEqual(want.shape);
        expectClose(got[k].data, want.data, 1e-10);
      }
    });
  }
});

describe('lengths: bad specs and bad values', () => {
  const base = {
    format: 'tessera.model/v1',
    inputs: {
      x: { dtype: 'float32', shape: ['batch', 'time', 3] },
      len: { dtype: 'int32', shape: ['batch'] },
      ids: { dtype: 'int32', shape: ['batch', 'time'] },
      wide: { dtype: 'int32', shape: ['batch', 2] },
      f: { dtype: 'float32', shape: ['batch'] },
    },
    outputs: { y: 'r' },
  };
  const issue = (lengths: string, op: Record<string, unknown> = {}) => {
    try {
      parseSpec({
        ...base,
        nodes: [{ id: 'r', op: 'gru', input: 'x', inputSize: 3, hiddenSize: 2, lengths, ...op }],
      });
    } catch (e) {
      return (e as { issues: { path: unknown[]; message: string }[] }).issues[0];
    }
    throw new Error('expected a SpecError');
  };

  it('lengths naming a node, no input, a float or a rank-2 input: SpecErrors at nodes[0].lengths', () => {
    expect(issue('r')).toEqual({
      path: ['nodes', 0, 'lengths'],
      message: expect.stringMatching(/^"r" is not a model input; lengths names an int32 \[batch\]/),
    });
    expect(issue('nosuch').path).toEqual(['nodes', 0, 'lengths']);
    expect(issue('f').message).toMatch(
      /"f" is float32 \[batch\]; lengths names an int32 \[batch\]/,
    );
    expect(issue('wide').message).toMatch(/"wide" is int32 \[batch, 2\]/);
    expect(issue('ids').message).toMatch(/int32 \[batch, time\]/);
  });

  it('a mean with lengths over a dim other than time', () => {
    try {
      parseSpec({
        ...base,
        nodes: [{ id: 'r', op: 'mean', input: 'x', dim: 2, lengths: 'len' }],
      });
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: unknown[] }).issues).toEqual([
        { path: ['nodes', 0, 'lengths'], message: expect.stringMatching(/dim must be 1/) },
      ]);
    }
  });

  it('a length outside 1..T is an InputError naming the input and the row', async () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: {
        x: { dtype: 'float32', shape: ['batch', 'time', 3] },
        len: { dtype: 'int32', shape: ['batch'] },
      },
      outputs: { y: 'r' },
      nodes: [{ id: 'r', op: 'gru', input: 'x', inputSize: 3, hiddenSize: 2, lengths: 'len' }],
    });
    const weights = new Map(
      weightManifest(spec).map((w) => [
        w.name,
        f32(w.shape, new Array(w.shape.reduce((p, q) => p * q)).fill(0.1)),
      ]),
    );
    const model = compileReference(spec, weights);
    const x = f32([3, 4, 3], new Array(36).fill(0.5));
    for (const [bad, row, value] of [
      [[4, 0, 2], 1, 0],
      [[4, 2, 5], 2, 5],
      [[-1, 2, 2], 0, -1],
    ] as const) {
      const error = await model.run({ x, len: i32([3], [...bad]) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `len: row ${row} is ${value}, outside 1..4 (the time node "r" reads)`,
      );
    }
    const ok = await model.run({ x, len: i32([3], [4, 1, 2]) });
    expect(ok.y.shape).toEqual([3, 4, 2]);
  });
});

describe("attention (LLaMA's) with lengths: a padded sequence's valid rows are its own run", () => {
  // No torch module has this op's exact form, so the identity that defines key padding is the
  // check: the first `length` rows of a padded row equal the run of that row's valid steps alone
  // (causal or not, GQA with rope), for each row of an unsorted batch.
  for (const causal of [false, true]) {
    it(`causal: ${causal}`, () => {
      const [B, T, E] = [3, 5, 8];
      const node = {
        op: 'attention',
        hiddenSize: E,
        numHeads: 4,
        numKeyValueHeads: 2,
        causal,
        bias: true,
      } as const;
      const data = Array.from({ length: B * T * E }, (_, i) => Math.sin(i * 0.37) * 0.8);
      const x = f32([B, T, E], data);
      const len = i32([B], [3, 5, 1]);
      const padded = buildSpec({ x, len }, [{ ...node, id: 'n', input: 'x', lengths: 'len' }]);
      const weights = new Map(
        weightManifest(padded).map((w, k) => [
          w.name,
          f32(
            w.shape,
            Array.from(
              { length: w.shape.reduce((p, q) => p * q) },
              (_, i) => Math.cos(i + k) * 0.3,
            ),
          ),
        ]),
      );
      const whole = compileReference(padded, weights).runFloat64({ x, len }).out;
      for (let b = 0; b < B; b++) {
        const n = len.data[b];
        const row = f32([1, n, E], data.slice(b * T * E, (b * T + n) * E));
        const alone = buildSpec({ x: row }, [{ ...node, id: 'n', input: 'x' }]);
        const want = compileReference(alone, weights).runFloat64({ x: row }).out;
        expectClose(whole.data.slice(b * T * E, (b * T + n) * E), want.data, 1e-12);
      }
    });
  }
});
