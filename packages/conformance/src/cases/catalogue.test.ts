import { inferShapes, opNames } from '@tessera/spec';
import { describe, expect, it } from 'vitest';
import { materialise } from '../case.js';
import { casesByOp, catalogue, edgeCases, presetCases } from './index.js';

describe('the catalogue', () => {
  it('has unique ids', () => {
    const ids = catalogue.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has cases for every v1 op, each named `<op>/...` and using that op', () => {
    for (const op of opNames) {
      const cases = casesByOp[op];
      expect(cases.length, op).toBeGreaterThan(0);
      for (const c of cases) {
        expect(c.id.startsWith(`${op}/`), c.id).toBe(true);
        expect(
          c.spec().nodes.map((n) => n.op),
          c.id,
        ).toContain(op);
      }
    }
  });

  it('builds every spec and binds every symbolic dim to a concrete shape', () => {
    for (const c of catalogue) {
      const spec = c.spec();
      const shapes = inferShapes(spec, c.bindings);
      for (const [name, ref] of Object.entries(spec.outputs)) {
        const info = shapes.get(ref);
        expect(info, `${c.id} output ${name}`).toBeDefined();
        expect(
          info!.shape.every((d) => typeof d === 'number' && d > 0),
          `${c.id} output ${name}: [${info!.shape.join(', ')}]`,
        ).toBe(true);
      }
    }
  });

  it('materialises reproducibly: same case, same bytes', () => {
    for (const c of [catalogue[0], presetCases[0], edgeCases[0]]) {
      const a = materialise(c);
      const b = materialise(c);
      for (const [k, t] of a.weights) expect(b.weights.get(k)!.data).toEqual(t.data);
      for (const [k, t] of Object.entries(a.inputs)) expect(b.inputs[k].data).toEqual(t.data);
    }
  });

  it('randomizes constant-initialised weights so norms and biases are exercised', () => {
    const { weights } = materialise(casesByOp.layerNorm[0]);
    const scale = weights.get('ln.weight')!.data;
    expect([...scale].some((v) => v !== 1)).toBe(true);
  });

  it('covers the options that change the arithmetic', () => {
    const nodes = catalogue.flatMap((c) => c.spec().nodes) as unknown as Record<string, unknown>[];
    const attrs = (op: string) => nodes.filter((n) => n.op === op);
    const has = (op: string, pred: (n: Record<string, unknown>) => boolean) =>
      expect(attrs(op).some(pred), op).toBe(true);
    has('gelu', (n) => n.approximate === 'none');
    has('gelu', (n) => n.approximate === 'tanh');
    has('rnn', (n) => n.nonlinearity === 'relu');
    has('rnn', (n) => n.nonlinearity === 'tanh');
    for (const op of ['rnn', 'lstm', 'gru']) {
      has(op, (n) => n.numLayers === 2 && n.bidirectional === true);
      has(op, (n) => n.bias === false);
    }
    for (const op of ['conv1d', 'conv2d']) {
      const k = (n: Record<string, unknown>) =>
        (Array.isArray(n.kernelSize) ? n.kernelSize : [n.kernelSize]) as number[];
      has(op, (n) => n.padding === 'same' && k(n).some((v) => v % 2 === 0));
      has(op, (n) => n.padding === 'same' && k(n).every((v) => v % 2 === 1));
      has(op, (n) => n.padding === 'valid');
      has(op, (n) => typeof n.padding === 'number' && n.padding > 0);
      has(op, (n) => n.stride !== 1);
      has(op, (n) => n.dilation !== 1);
      has(op, (n) => (n.groups as number) > 1 && n.groups !== n.inChannels);
      has(op, (n) => n.groups === n.inChannels && (n.inChannels as number) > 1);
      has(op, (n) => n.bias === false);
    }
    for (const op of ['maxPool1d', 'maxPool2d', 'avgPool1d', 'avgPool2d']) {
      has(op, (n) => n.padding !== 0);
      has(op, (n) => n.ceilMode === true);
    }
    has('avgPool1d', (n) => n.countIncludePad === false);
    has('avgPool2d', (n) => n.countIncludePad === false);
    has('maxPool1d', (n) => n.dilation !== 1);
    has('maxPool2d', (n) => n.dilation !== 1);
    has('layerNorm', (n) => (n.normalizedShape as number[]).length > 1);
    has('layerNorm', (n) => n.elementwiseAffine === false);
    has('multiHeadAttention', (n) => n.causal === true);
    has('multiHeadAttention', (n) => n.causal === false);
    for (const normFirst of [true, false]) {
      for (const activation of ['relu', 'gelu'])
        has(
          'transformerEncoderLayer',
          (n) => n.normFirst === normFirst && n.activation === activation,
        );
    }
    has('positionalEmbedding', (n) => n.kind === 'learned');
    has('positionalEmbedding', (n) => n.kind === 'sinusoidal');
    has('select', (n) => (n.index as number) < 0);
    has('mean', (n) => Array.isArray(n.dim));
    has('mean', (n) => n.keepdim === true);
    // attention: MHA, GQA and MQA; every rope form; biases; a free head size; unmasked.
    const kv = (n: Record<string, unknown>) => (n.numKeyValueHeads ?? n.numHeads) as number;
    has('attention', (n) => kv(n) === n.numHeads);
    has('attention', (n) => kv(n) > 1 && kv(n) < (n.numHeads as number));
    has('attention', (n) => kv(n) === 1 && (n.numHeads as number) > 1);
    type Rope = { theta: number; dim?: number; interleaved: boolean };
    const rope = (n: Record<string, unknown>) => (n.rope === false ? undefined : (n.rope as Rope));
    has('attention', (n) => n.rope === false);
    has('attention', (n) => rope(n)?.interleaved === false);
    has('attention', (n) => rope(n)?.interleaved === true);
    has('attention', (n) => rope(n)?.dim !== undefined);
    has('attention', (n) => (rope(n)?.theta ?? 10000) !== 10000);
    has('attention', (n) => n.bias === true && n.outputBias === false);
    has('attention', (n) => n.bias === false && n.outputBias === true);
    has('attention', (n) => n.headDim !== undefined);
    has('attention', (n) => n.causal === false);
    for (const activation of ['silu', 'gelu', 'geluTanh'])
      for (const bias of [false, true])
        has('gatedMlp', (n) => n.activation === activation && n.bias === bias);
  });

  it('has a small case for every preset and the edge values asked for', () => {
    const ids = catalogue.map((c) => c.id);
    for (const name of [
      'rnnClassifier',
      'charRnnLM',
      'cnnClassifier',
      'resnetTiny',
      'transformerLM',
      'llamaLM',
      'speechRecognizer',
    ]) {
      expect(ids).toContain(`preset/${name}-small`);
    }
    for (const cell of ['rnn', 'lstm', 'gru']) {
      const c = catalogue.find((x) => x.id === `edge/${cell}-256-steps`)!;
      expect(c.bindings.time).toBe(256);
    }
    expect(
      catalogue.filter((c) => (c.inputScale ?? 1) >= 80).map((c) => c.spec().nodes[0].op),
    ).toEqual(expect.arrayContaining(['softmax', 'logSoftmax']));
    expect(catalogue.some((c) => c.bindings.time === 1)).toBe(true);
  });

  it('exercises the ceil-mode rule that drops a window starting in the padding', () => {
    for (const op of ['maxPool1d', 'maxPool2d', 'avgPool1d', 'avgPool2d'] as const) {
      const c = casesByOp[op].find((x) => x.id.endsWith('/ceil-mode-dropped-window'))!;
      const shape = inferShapes(c.spec(), c.bindings).get('pool')!.shape as number[];
      // Without the rule: ceil((L + 2·1 − 2) / 2) + 1 = 4 windows along the first spatial dim (L = 5).
      expect(shape[2], op).toBe(3);
    }
  });

  it('gives every widened tolerance a reason', () => {
    for (const c of catalogue)
      if (c.tolerance) expect(c.tolerance.reason.length, c.id).toBeGreaterThan(10);
  });
});
