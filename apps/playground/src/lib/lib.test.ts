import { buildPreset, parseSpec } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { checkSpecText, rangeOfPath } from './diagnostics';
import { decodeHash, encodeHash } from './hash';
import { layoutGraph } from './layout';
import { median, topK } from './run';

describe('diagnostics', () => {
  const text = JSON.stringify(
    {
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['b', 4] } },
      outputs: { y: 'l' },
      nodes: [{ id: 'l', op: 'linear', inFeatures: 5, outFeatures: 2 }],
    },
    null,
    2,
  );

  test('a SpecError issue is placed on its key and value', () => {
    const r = checkSpecText(text);
    expect(r.spec).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0];
    expect(d.path).toBe('nodes[0].inFeatures');
    expect(text.slice(d.from, d.to)).toBe('"inFeatures": 5');
  });

  test('a missing key is reported on its parent object', () => {
    const t = text.replace('"outFeatures": 2', '"outFeaturez": 2');
    const d = checkSpecText(t).diagnostics;
    expect(d.map((x) => x.path).sort()).toEqual(
      ['nodes[0].outFeaturez', 'nodes[0].outFeatures'].sort(),
    );
    const missing = d.find((x) => x.path === 'nodes[0].outFeatures')!;
    expect(t[missing.from]).toBe('{');
  });

  test('a JSON syntax error is placed at its line and column', () => {
    // The `}` is at offset 14, the 13th character of line 2.
    const d = checkSpecText('{\n  "format": }').diagnostics[0];
    expect(d.from).toBe(14);
    expect([d.line, d.column]).toEqual([2, 13]);
    expect(d.message).toBe('JSON syntax at line 2, column 13: Unexpected token }');
    expect(checkSpecText('{"a": 1').diagnostics[0].message).toBe(
      'JSON syntax at line 1, column 8: Unexpected end of JSON input',
    );
  });

  test('every issue has its line and column, and a path has its text', () => {
    const d = checkSpecText(text).diagnostics[0];
    expect(text.split('\n')[d.line - 1].slice(d.column - 1)).toBe('"inFeatures": 5,');
    const r = rangeOfPath(text, ['nodes', 0])!;
    expect(JSON.parse(text.slice(r.from, r.to)).id).toBe('l');
    expect(rangeOfPath(text, ['nodes', 3])).toBeUndefined();
    expect(rangeOfPath('{', ['nodes'])).toBeUndefined();
  });

  test('a valid spec gives the parsed spec', () => {
    expect(
      checkSpecText(text.replace('"inFeatures": 5', '"inFeatures": 4')).spec?.nodes,
    ).toHaveLength(1);
  });
});

test('the hash round-trips any text', () => {
  const spec = '{ "name": "ünïcödé 🙂" }';
  expect(decodeHash(encodeHash(spec, 'tfjs:cpu'))).toEqual({ specText: spec, backend: 'tfjs:cpu' });
  expect(decodeHash('#spec=%%%')).toEqual({});
  const shared = decodeHash(
    encodeHash(spec, 'ort:wasm', {
      preset: 'cnnClassifier',
      params: { numClasses: '7', channels: '6, 16' },
    }),
  );
  expect(shared).toEqual({
    specText: spec,
    backend: 'ort:wasm',
    preset: 'cnnClassifier',
    params: { numClasses: '7', channels: '6, 16' },
  });
  expect(decodeHash('#params=%7Bbroken')).toEqual({});
});

test('layout puts every node one layer below its deepest input', () => {
  const spec = parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape: [1, 4] } },
    outputs: { y: 'c' },
    nodes: [
      { id: 'a', op: 'relu' },
      { id: 'b', op: 'tanh' },
      { id: 'c', op: 'add', input: ['x', 'b'] },
    ],
  });
  const l = layoutGraph(spec);
  const layer = Object.fromEntries(l.nodes.map((n) => [n.id, n.layer]));
  expect(layer).toEqual({ x: 0, a: 1, b: 2, c: 3, 'output:y': 4 });
  const skip = l.edges.find((e) => e.from === 'x' && e.to === 'c')!;
  // x (layer 0) feeds c (layer 3): a skip connection, routed by dagre with its own points.
  expect(skip.skip).toBe(true);
  expect(skip.points.length).toBeGreaterThanOrEqual(2);
  expect(l.edges.filter((e) => e.skip)).toHaveLength(1);
  // No two boxes overlap.
  for (const a of l.nodes)
    for (const b of l.nodes)
      if (a !== b)
        expect(
          a.x + a.width <= b.x ||
            b.x + b.width <= a.x ||
            a.y + a.height <= b.y ||
            b.y + b.height <= a.y,
        ).toBe(true);
  const lm = layoutGraph(buildPreset('transformerLM'), { batch: 1, time: 8 });
  expect(lm.nodes.find((n) => n.id === 'head')!.detail).toBe('[1, 8, 64]');
  expect(lm.nodes.find((n) => n.id === 'head')!.params).toBe(32 * 64);
});

test('median and top-k', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
  // logits ln(1), ln(3), ln(6) → probabilities 0.1, 0.3, 0.6
  const t = {
    dtype: 'float32' as const,
    shape: [1, 1, 3],
    data: new Float32Array([0, Math.log(3), Math.log(6)]),
  };
  const k = topK(t, 2);
  expect(k.map((c) => c.id)).toEqual([2, 1]);
  expect(k[0].p).toBeCloseTo(0.6, 6);
});
