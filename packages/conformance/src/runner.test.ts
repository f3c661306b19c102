import { createBackend } from '@tessera/backend-reference';
import { type Backend, toWeights, UnsupportedOpError } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { catalogue } from './cases/index.js';
import { describeFailure } from './cell.js';
import { decodingOf, noDecoderReason } from './decode.js';
import { randomCases } from './random.js';
import { exitCode, renderTerminal, summaryLine } from './report.js';
import { runConformance } from './runner.js';

const reference = { label: 'reference:f64', create: createBackend as () => Promise<Backend> };

describe('runConformance over the reference backend itself', () => {
  it('passes every catalogue case and some random ones', async () => {
    const cases = [...catalogue, ...randomCases(20, 7)];
    const report = await runConformance({
      cases,
      backends: [reference],
      expectations: {},
      kinds: ['run'],
    });
    const bad = report.cells.filter((c) => c.status !== 'pass');
    expect(bad.map(describeFailure)).toEqual([]);
    expect(report.counts.pass).toBe(cases.length);
    expect(exitCode(report)).toBe(0);
    expect(renderTerminal(report)).toContain(`${cases.length} passed, 0 failed`);
  });

  it('decodes every decodable catalogue case, each decoding row after its case', async () => {
    const report = await runConformance({
      cases: catalogue,
      backends: [reference],
      expectations: {},
    });
    const decodable = catalogue.filter((c) => decodingOf(c) !== undefined);
    expect(decodable.length).toBeGreaterThan(100);
    const rows = report.cases.filter((c) => c.kind === 'decode');
    expect(rows.map((r) => r.id)).toEqual(decodable.map((c) => `${c.id}/decode`));
    for (const [i, row] of report.cases.entries())
      if (row.kind === 'decode') expect(report.cases[i - 1].id).toBe(row.decodes);
    const bad = report.cells.filter((c) => c.status !== 'pass');
    expect(bad.map(describeFailure)).toEqual([]);
    expect(report.counts.pass).toBe(catalogue.length + decodable.length);
    expect(summaryLine(report)).toBe(
      `${report.counts.pass} passed, 0 failed (decoding: ${decodable.length} passed, 0 failed)`,
    );
  });
});

/** A test double: the reference with the LSTM's input and forget gate rows of weight_ih swapped. */
async function swappedGatesBackend(): Promise<Backend> {
  const inner = await createBackend();
  return {
    name: 'broken',
    variant: 'swapped-lstm-gates',
    supports: (op) => inner.supports(op),
    async compile(spec, weights) {
      const changed = new Map(toWeights(weights));
      for (const node of spec.nodes) {
        if (node.op !== 'lstm') continue;
        const w = changed.get(`${node.id}.weight_ih_l0`)!;
        const h = node.hiddenSize;
        const cols = w.shape[1];
        const data = w.data.slice();
        // Rows [0, H) are the input gate, [H, 2H) the forget gate (PyTorch's i, f, g, o).
        data.set(w.data.subarray(h * cols, 2 * h * cols), 0);
        data.set(w.data.subarray(0, h * cols), h * cols);
        changed.set(`${node.id}.weight_ih_l0`, { ...w, data });
      }
      return inner.compile(spec, changed);
    },
  };
}

const byId = (ids: string[]) => ids.map((id) => catalogue.find((c) => c.id === id)!);

describe('runConformance with a broken backend', () => {
  it('fails the LSTM cases, naming the case, the output and the worst index', async () => {
    const cases = byId(['lstm/basic', 'lstm/bidirectional-2layer', 'linear/basic', 'gru/basic']);
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [{ label: 'broken:lstm', create: swappedGatesBackend }],
      expectations: {},
    });
    const status = Object.fromEntries(report.cells.map((c) => [c.caseId, c.status]));
    expect(status).toEqual({
      'lstm/basic': 'fail',
      'lstm/bidirectional-2layer': 'fail',
      'linear/basic': 'pass',
      'gru/basic': 'pass',
    });
    expect(exitCode(report)).toBe(1);
    const cell = report.cells.find((c) => c.caseId === 'lstm/basic')!;
    const f = cell.failure!;
    expect(['y', 'h_n', 'c_n']).toContain(f.output);
    expect(f.worstIndex).toBeGreaterThanOrEqual(0);
    expect(f.maxAbsError).toBeGreaterThan(1e-3);
    expect(Math.abs(f.got - f.want)).toBe(Math.abs(f.got - f.want)); // finite
    const text = renderTerminal(report);
    expect(text).toContain('2 passed, 2 failed');
    expect(text).toMatch(
      new RegExp(
        `lstm/basic on broken:lstm: output ${f.output} differs at flat index ${f.worstIndex} `,
      ),
    );
  });
});

/** A backend built from the reference with hooks for supports, compile and dispose. */
function doubleOf(
  hooks: { supports?: (op: string) => true | string; compile?: () => void; run?: () => void },
  counter = { compiled: 0, disposed: 0 },
): () => Promise<Backend> {
  return async () => {
    const inner = await createBackend();
    return {
      name: 'double',
      variant: 'test',
      supports: hooks.supports ?? inner.supports,
      async compile(spec, weights) {
        hooks.compile?.();
        const model = await inner.compile(spec, weights);
        counter.compiled++;
        return {
          run: async (inputs) => {
            hooks.run?.();
            return model.run(inputs);
          },
          dispose: async () => {
            counter.disposed++;
            await model.dispose();
          },
        };
      },
    };
  };
}

describe('runConformance cells', () => {
  const cases = byId(['relu/basic', 'lstm/basic', 'conv1d/basic']);

  it('marks a column unavailable, with the reason, when create() rejects', async () => {
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [
        reference,
        { label: 'nowhere:gpu', create: () => Promise.reject(new Error('no WebGPU adapter')) },
      ],
      expectations: {},
    });
    expect(report.backends[1]).toEqual({
      label: 'nowhere:gpu',
      available: false,
      reason: 'no WebGPU adapter',
    });
    const column = report.cells.filter((c) => c.backend === 'nowhere:gpu');
    expect(column.map((c) => c.status)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(report.counts).toMatchObject({ pass: 3, unavailable: 3 });
    expect(exitCode(report)).toBe(0);
    expect(exitCode(report, { failOnUnavailable: true })).toBe(1);
    const text = renderTerminal(report);
    expect(text).toContain('nowhere:gpu: no WebGPU adapter');
    expect(text).toContain('3 passed, 0 failed, 3 unavailable');
  });

  it('marks cells unsupported from supports() or an UnsupportedOpError thrown by compile', async () => {
    const noLstm = doubleOf({
      supports: (op) => (op === 'lstm' ? 'no recurrent kernels yet' : true),
    });
    const throwsConv = doubleOf({
      compile: () => {
        throw new UnsupportedOpError('conv1d', 'dilated kernels are missing', 'conv');
      },
    });
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [
        { label: 'a:x', create: noLstm },
        { label: 'b:x', create: throwsConv },
      ],
      expectations: {},
    });
    const a = report.cells.filter((c) => c.backend === 'a:x');
    expect(a.map((c) => c.status)).toEqual(['pass', 'unsupported', 'pass']);
    expect(a[1].reason).toBe('lstm: no recurrent kernels yet');
    const b = report.cells.filter((c) => c.backend === 'b:x');
    expect(b.map((c) => c.status)).toEqual(['unsupported', 'unsupported', 'unsupported']);
    expect(b[2].reason).toMatch(/dilated kernels are missing/);
    expect(exitCode(report)).toBe(0);
  });

  it('marks decoding cells unsupported, with the reason, where the models have no decoder', async () => {
    const report = await runConformance({
      cases,
      backends: [{ label: 'plain:x', create: doubleOf({}) }],
      expectations: {},
    });
    expect(report.cells.map((c) => [c.caseId, c.kind ?? 'run', c.status])).toEqual([
      ['relu/basic', 'run', 'pass'],
      ['relu/basic/decode', 'decode', 'unsupported'],
      ['lstm/basic', 'run', 'pass'],
      ['lstm/basic/decode', 'decode', 'unsupported'],
      ['conv1d/basic', 'run', 'pass'],
    ]);
    expect(report.cells[1].reason).toBe(noDecoderReason);
    expect(report.cases[1]).toMatchObject({
      id: 'relu/basic/decode',
      kind: 'decode',
      decodes: 'relu/basic',
      chunks: [2, 1, 2],
      bindings: { batch: 2, time: 5 },
    });
    expect(exitCode(report)).toBe(0);
    const text = renderTerminal(report);
    expect(text).toContain(`plain:x: ${noDecoderReason} (relu/basic/decode, lstm/basic/decode)`);
    expect(text).toContain(
      '3 passed, 0 failed, 2 unsupported (decoding: 0 passed, 0 failed, 2 unsupported)',
    );
  });

  it('marks a thrown error as an error cell with its message, and disposes every compiled model', async () => {
    const counter = { compiled: 0, disposed: 0 };
    let runs = 0;
    const flaky = doubleOf(
      {
        run: () => {
          if (++runs === 2) throw new RangeError('out of GPU memory');
        },
      },
      counter,
    );
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [{ label: 'flaky:x', create: flaky }],
      expectations: {},
    });
    expect(report.cells.map((c) => c.status)).toEqual(['pass', 'error', 'pass']);
    expect(report.cells[1].message).toBe('RangeError: out of GPU memory');
    expect(counter.compiled).toBe(3);
    expect(counter.disposed).toBe(3);
    expect(exitCode(report)).toBe(1);
    expect(renderTerminal(report)).toContain('2 passed, 0 failed, 1 error');
  });

  it('computes each reference output once per case, whatever the number of backends', async () => {
    let compiles = 0;
    const source = async () => {
      const inner = await createBackend();
      return {
        compile: async (
          spec: Parameters<typeof inner.compile>[0],
          weights: Parameters<typeof inner.compile>[1],
        ) => {
          compiles++;
          return inner.compile(spec, weights);
        },
      };
    };
    const report = await runConformance({
      cases,
      backends: [reference, reference, reference],
      expectations: {},
      reference: source,
    });
    // relu/basic and lstm/basic decode at their own sizes: their decoding rows reuse the run.
    expect(report.counts.pass).toBe(15);
    expect(compiles).toBe(3);
  });

  it('reports a reference failure as an error on every cell of the row', async () => {
    const broken = { ...cases[0], id: 'relu/wrong-inputs', inputs: () => ({}) };
    const report = await runConformance({
      kinds: ['run'],
      cases: [broken],
      backends: [reference],
      expectations: {},
    });
    expect(report.cells[0].status).toBe('error');
    expect(report.cells[0].message).toMatch(/the reference failed on this case: .*missing/);
    expect(report.cases[0].referenceError).toBeDefined();
  });

  it('turns a cell that runs too long into an error when a timeout is set', async () => {
    const slow = doubleOf({ run: () => {} });
    const hanging = async (): Promise<Backend> => {
      const b = await slow();
      return { ...b, compile: () => new Promise(() => {}) };
    };
    const report = await runConformance({
      kinds: ['run'],
      cases: cases.slice(0, 1),
      backends: [{ label: 'hang:x', create: hanging }],
      expectations: {},
      cellTimeoutMs: 50,
    });
    expect(report.cells[0].status).toBe('error');
    expect(report.cells[0].message).toMatch(/compile took longer than 50 ms/);
  });

  it('gives each backend its own copies, so one that mutates its arguments cannot poison the next', async () => {
    const vandal = async (): Promise<Backend> => ({
      name: 'vandal',
      variant: 'x',
      supports: () => true,
      async compile(spec, weights) {
        for (const t of toWeights(weights).values()) t.data.fill(7);
        spec.nodes.length = 0;
        return {
          run: async (inputs) => {
            for (const t of Object.values(inputs)) t.data.fill(7);
            throw new Error('vandalised');
          },
          dispose: async () => {},
        };
      },
    });
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [{ label: 'vandal:x', create: vandal }, reference],
      expectations: {},
    });
    expect(report.cells.filter((c) => c.backend === 'vandal:x').map((c) => c.status)).toEqual([
      'error',
      'error',
      'error',
    ]);
    expect(report.cells.filter((c) => c.backend === 'reference:f64').map((c) => c.status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('reports progress for every cell', async () => {
    const seen: [number, number][] = [];
    await runConformance({
      cases,
      backends: [reference],
      expectations: {},
      onProgress: (done, total) => seen.push([done, total]),
    });
    // relu/basic, relu/basic/decode, lstm/basic, lstm/basic/decode, conv1d/basic.
    expect(seen).toEqual([1, 2, 3, 4, 5].map((done) => [done, 5]));
  });
});

describe('expectations', () => {
  const cases = byId(['lstm/basic', 'lstm/2layer', 'linear/basic']);
  const broken = { label: 'broken:lstm', create: swappedGatesBackend };

  it('reports a listed failure as expected-fail and a listed pass as unexpected-pass', async () => {
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [broken],
      expectations: {
        'broken:*': [
          { case: 'lstm/*', reason: 'gates swapped on purpose' },
          { case: 'linear/basic', reason: 'a stale entry' },
        ],
      },
    });
    expect(report.cells.map((c) => c.status)).toEqual([
      'expected-fail',
      'expected-fail',
      'unexpected-pass',
    ]);
    expect(report.cells[0].reason).toBe('gates swapped on purpose');
    expect(report.cells[0].failure).toBeDefined();
    expect(exitCode(report)).toBe(0);
    expect(exitCode(report, { failOnUnexpectedPass: true })).toBe(1);
    const text = renderTerminal(report);
    expect(text).toContain('0 passed, 0 failed, 2 expected failures, 1 unexpected pass');
    expect(text).toContain(
      'linear/basic on broken:lstm: listed as expected to fail: a stale entry',
    );
  });

  it('lists a decoding cell by its own id, and widens it with its case', async () => {
    const lstm = byId(['lstm/basic']);
    const listedDecode = await runConformance({
      cases: lstm,
      backends: [broken],
      expectations: { 'broken:lstm': [{ case: 'lstm/basic/decode', reason: 'its decoder too' }] },
    });
    expect(listedDecode.cells.map((c) => [c.caseId, c.status])).toEqual([
      ['lstm/basic', 'fail'],
      ['lstm/basic/decode', 'expected-fail'],
    ]);
    const widened = await runConformance({
      cases: lstm,
      backends: [broken],
      expectations: {
        'broken:lstm': [{ case: 'lstm/basic', reason: 'wide', tolerance: { atol: 10 } }],
      },
    });
    expect(widened.cells.map((c) => [c.status, c.tolerance.atol])).toEqual([
      ['pass', 10],
      ['pass', 10],
    ]);
    expect(widened.widened.map((w) => w.caseId)).toEqual(['lstm/basic', 'lstm/basic/decode']);
  });

  it('applies only to the listed backend label', async () => {
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [broken],
      expectations: { 'other:x': [{ case: 'lstm/*', reason: 'not this one' }] },
    });
    expect(report.cells.map((c) => c.status)).toEqual(['fail', 'fail', 'pass']);
  });

  it('widens a tolerance per backend with a reason, and lists the widening', async () => {
    const report = await runConformance({
      kinds: ['run'],
      cases,
      backends: [broken],
      expectations: {
        'broken:lstm': [
          { case: 'lstm/*', reason: 'a float16 path, say', tolerance: { atol: 10, rtol: 10 } },
        ],
      },
    });
    expect(report.cells.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(report.cells[0].tolerance).toEqual({ atol: 10, rtol: 10 });
    expect(report.widened).toContainEqual({
      caseId: 'lstm/basic',
      backend: 'broken:lstm',
      atol: 10,
      rtol: 10,
      reason: 'a float16 path, say',
    });
    expect(renderTerminal(report)).toContain(
      'lstm/basic on broken:lstm: atol 10, rtol 10: a float16 path, say',
    );
  });
});
