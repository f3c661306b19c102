import { createBackend } from '@tessera/backend-reference';
import type { Backend, CompiledModel, Decoder, Tensor } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { defineCase, seq } from './cases/define.js';
import { catalogue } from './cases/index.js';
import { describeFailure } from './cell.js';
import {
  type DecodingCase,
  decodeChunks,
  decodingOf,
  noDecoderReason,
  runDecodeCell,
} from './decode.js';
import { ReferenceCache } from './reference.js';
import { caseById } from './select.js';
import { defaultTolerance } from './tolerance.js';

const cache = new ReferenceCache();
const byId = (id: string) => {
  const c = caseById(id);
  if (c === undefined) throw new Error(`no case ${id}`);
  return c;
};
const decoding = (id: string): DecodingCase => {
  const d = decodingOf(byId(id));
  if (d === undefined) throw new Error(`${id} has no decoding cell`);
  return d;
};

/** A backend over the reference whose models' decoders are `wrap` of the reference's; none without it. */
function withDecoder(name: string, wrap?: (inner: Decoder) => Decoder): () => Promise<Backend> {
  return async () => {
    const inner = await createBackend();
    return {
      name,
      variant: 'x',
      supports: (op) => inner.supports(op),
      async compile(spec, weights) {
        const model = await inner.compile(spec, weights);
        const own: CompiledModel = { run: (i) => model.run(i), dispose: () => model.dispose() };
        if (wrap === undefined) return own;
        return { ...own, decoder: async (o) => wrap(await model.decoder!(o)) };
      },
    };
  };
}

/** The inner decoder with another step. */
function withStep(inner: Decoder, step: Decoder['step'], position?: () => number): Decoder {
  return {
    get position() {
      return position?.() ?? inner.position;
    },
    batch: inner.batch,
    maxLength: inner.maxLength,
    stateBytes: inner.stateBytes,
    reset: () => inner.reset(),
    dispose: () => inner.dispose(),
    step,
  };
}

/**
 * Rows one position late along time (the sequence outputs; h_n and c_n are left alone): each
 * step's first row is the previous step's last, the prompt's first row stays.
 */
function shifted(inner: Decoder): Decoder {
  const last: Record<string, Float32Array> = {};
  return withStep(inner, async (inputs) => {
    const out = await inner.step(inputs);
    const moved: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(out)) {
      if (name.endsWith('_n')) {
        moved[name] = t;
        continue;
      }
      const [b, n, f] = t.shape;
      const data = new Float32Array(t.data.length);
      const tail = new Float32Array(b * f);
      for (let i = 0; i < b; i++) {
        const rows = t.data.subarray(i * n * f, (i + 1) * n * f);
        data.set(last[name]?.subarray(i * f, (i + 1) * f) ?? rows.subarray(0, f), i * n * f);
        data.set(rows.subarray(0, (n - 1) * f), i * n * f + f);
        tail.set(rows.subarray((n - 1) * f), i * f);
      }
      last[name] = tail;
      moved[name] = { ...t, data };
    }
    return moved;
  });
}

const options = { label: 'test:x', tolerance: defaultTolerance };

describe('decodeChunks', () => {
  it('feeds a prompt of more than one position, single positions, then two', () => {
    expect(decodeChunks(5)).toEqual([2, 1, 2]);
    expect(decodeChunks(6)).toEqual([2, 1, 1, 2]);
    expect(decodeChunks(7)).toEqual([2, 1, 1, 1, 2]);
    expect(decodeChunks(12)).toEqual([7, 1, 1, 1, 2]);
    expect(decodeChunks(256)).toEqual([251, 1, 1, 1, 2]);
  });

  it('keeps what fits of a shorter sequence', () => {
    expect(decodeChunks(1)).toEqual([1]);
    expect(decodeChunks(2)).toEqual([2]);
    expect(decodeChunks(3)).toEqual([2, 1]);
    expect(decodeChunks(4)).toEqual([2, 1, 1]);
    expect(() => decodeChunks(0)).toThrow(/at least one position/);
  });
});

describe('decodingOf', () => {
  it('gives no decoding cell to a case whose spec cannot decode', () => {
    for (const id of ['conv1d/basic', 'attention/not-causal', 'lstm/bidirectional', 'mean/time'])
      expect(decodingOf(byId(id)), id).toBeUndefined();
  });

  it('decodes a case at its own sizes when they allow every kind of chunk', () => {
    const d = decoding('attention/gqa-2');
    expect(d.id).toBe('attention/gqa-2/decode');
    expect(d.whole).toBe(byId('attention/gqa-2'));
    expect([d.batch, d.time, d.chunks]).toEqual([2, 6, [2, 1, 1, 2]]);
    expect(decodingOf(byId('attention/gqa-2'))).toBe(d);
  });

  it('lengthens a short case and sets a symbolic batch to 2', () => {
    const d = decoding('gru/time1');
    expect(d.of.bindings).toEqual({ batch: 3, time: 1 });
    expect(d.whole.bindings).toEqual({ batch: 2, time: 5 });
    expect(d.chunks).toEqual([2, 1, 2]);
    expect(d.timeAxes).toEqual({ y: 1, h_n: -1 });
    expect(decoding('attention/long').whole.bindings).toEqual({ batch: 2, time: 32 });
  });

  it('keeps the sizes of explicit inputs, feeding what fits', () => {
    const d = decoding('embedding/boundary-ids');
    expect(d.whole).toBe(byId('embedding/boundary-ids'));
    expect([d.batch, d.time, d.chunks]).toEqual([2, 4, [2, 1, 1]]);
  });

  it('stays within the positions a learned positional embedding holds', () => {
    const c = defineCase('positionalEmbedding/short-table', {
      inputs: { x: { shape: seq(4) } },
      nodes: [
        { id: 'pos', op: 'positionalEmbedding', kind: 'learned', maxLength: 3, embeddingDim: 4 },
      ],
      bindings: { batch: 1, time: 2 },
    });
    const d = decodingOf(c)!;
    expect([d.batch, d.time, d.chunks]).toEqual([2, 3, [2, 1]]);
  });

  it('covers what a decoder keeps: every KV-head ratio, rope variants, positions, recurrences', () => {
    const nodes = catalogue
      .filter((c) => decodingOf(c) !== undefined)
      .flatMap((c) => c.spec().nodes) as unknown as Record<string, unknown>[];
    const has = (what: string, pred: (n: Record<string, unknown>) => boolean) =>
      expect(nodes.some(pred), what).toBe(true);
    const attention =
      (pred: (n: Record<string, unknown>) => boolean) => (n: Record<string, unknown>) =>
        n.op === 'attention' && pred(n);
    const kv = (n: Record<string, unknown>) => (n.numKeyValueHeads ?? n.numHeads) as number;
    const rope = (n: Record<string, unknown>) =>
      n.rope === false ? undefined : (n.rope as { interleaved?: boolean; dim?: number });
    has(
      'MHA (ratio 1)',
      attention((n) => kv(n) === n.numHeads),
    );
    has(
      'GQA ratio 2',
      attention((n) => (n.numHeads as number) / kv(n) === 2),
    );
    has(
      'MQA (ratio numHeads)',
      attention((n) => kv(n) === 1 && (n.numHeads as number) > 2),
    );
    has(
      'default rope',
      attention(
        (n) => rope(n) !== undefined && !rope(n)?.interleaved && rope(n)?.dim === undefined,
      ),
    );
    has(
      'interleaved rope',
      attention((n) => rope(n)?.interleaved === true),
    );
    has(
      'partial rope',
      attention((n) => typeof rope(n)?.dim === 'number'),
    );
    has('learned positions', (n) => n.op === 'positionalEmbedding' && n.kind === 'learned');
    has('sinusoidal positions', (n) => n.op === 'positionalEmbedding' && n.kind === 'sinusoidal');
    for (const op of ['lstm', 'gru', 'rnn'])
      has(`multi-layer ${op}`, (n) => n.op === op && (n.numLayers as number) > 1);
    has('causal MHA', (n) => n.op === 'multiHeadAttention' && n.causal === true);
    has('causal encoder layer', (n) => n.op === 'transformerEncoderLayer' && n.causal === true);
    const presets = catalogue.filter((c) => c.id.startsWith('preset/') && decodingOf(c));
    for (const name of ['llamaLM', 'transformerLM', 'charRnnLM'])
      expect(
        presets.some((c) => c.id.startsWith(`preset/${name}-`)),
        name,
      ).toBe(true);
  });
});

describe('runDecodeCell', () => {
  const ids = [
    'attention/gqa-2',
    'attention/partial-rotary-interleaved',
    'lstm/2layer',
    'gru/time1',
    'positionalEmbedding/sinusoidal',
    'embedding/boundary-ids',
    'preset/llamaLM-small',
    'preset/transformerLM-small',
  ];

  it('passes on the reference itself, every output joined or taken after the last step', async () => {
    const backend = await createBackend();
    for (const id of ids) {
      const d = decoding(id);
      const cell = await runDecodeCell(backend, d, await cache.expected(d.whole), options);
      expect(cell.status, describeFailure(cell)).toBe('pass');
      expect(cell).toMatchObject({ caseId: `${id}/decode`, kind: 'decode', chunks: d.chunks });
      // The reference decodes in float64: its steps differ from its run by float32 rounding only.
      expect(cell.maxAbsError).toBeLessThan(1e-5);
    }
  });

  it('fails a decoder whose rows come one position late, naming the step', async () => {
    const backend = await withDecoder('shifted', shifted)();
    for (const id of ids) {
      const d = decoding(id);
      const cell = await runDecodeCell(backend, d, await cache.expected(d.whole), options);
      expect(cell.status, id).toBe('fail');
      const f = cell.failure!;
      expect(f.step, id).toBeGreaterThanOrEqual(1);
      expect(describeFailure(cell)).toMatch(
        new RegExp(
          `^${id}/decode on test:x: output \\w+ differs at .* \\(step \\d of chunks ${d.chunks.join('\\+')}\\)`,
        ),
      );
    }
  });

  it('is unsupported, with the reason, where the compiled model has no decoder', async () => {
    const backend = await withDecoder('plain')();
    const d = decoding('lstm/2layer');
    const cell = await runDecodeCell(backend, d, await cache.expected(d.whole), options);
    expect(cell).toMatchObject({ status: 'unsupported', reason: noDecoderReason });
  });

  it('fails a step whose output has the wrong shape, saying which step', async () => {
    // The last step (positions 3 and 4) says it holds one position.
    const short = (inner: Decoder) =>
      withStep(inner, async (inputs) => {
        const out = await inner.step(inputs);
        if (inner.position < 5) return out;
        const y = out.y;
        return { ...out, y: { ...y, shape: [y.shape[0], 1, ...y.shape.slice(2)] } };
      });
    const backend = await withDecoder('short', short)();
    const d = decoding('attention/mha');
    const cell = await runDecodeCell(backend, d, await cache.expected(d.whole), options);
    expect(cell.status).toBe('fail');
    expect(cell.failure?.reason).toBe(
      'step 3 (positions 3..4) gave shape [2, 1, 8], expected [2, 2, 8]',
    );
  });

  it('is an error when the decoder loses count of its positions', async () => {
    const stuck = (inner: Decoder) =>
      withStep(
        inner,
        (inputs) => inner.step(inputs),
        () => 0,
      );
    const backend = await withDecoder('stuck', stuck)();
    const d = decoding('lstm/2layer');
    const cell = await runDecodeCell(backend, d, await cache.expected(d.whole), options);
    expect(cell).toMatchObject({
      status: 'error',
      message: "after step 1 the decoder's position is 0, expected 2",
    });
  });
});
