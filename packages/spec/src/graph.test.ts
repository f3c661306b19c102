import { describe, expect, test } from 'vitest';
import { SpecError } from './errors.js';
import { inferShapes, parseSpec, safeParseSpec } from './graph.js';

const base = {
  format: 'tessera.model/v1',
  inputs: { x: { dtype: 'float32', shape: ['batch', 4] } },
};

function issuesOf(json: unknown) {
  const r = safeParseSpec(json);
  if (r.success) throw new Error('expected a SpecError');
  expect(r.error).toBeInstanceOf(SpecError);
  return r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('normalisation', () => {
  test('implicit input is the previous node (the model input for the first)', () => {
    const spec = parseSpec({
      ...base,
      outputs: { y: 'b' },
      nodes: [
        { id: 'a', op: 'relu' },
        { id: 'b', op: 'tanh' },
      ],
    });
    expect(spec.nodes.map((n) => n.input)).toEqual([['x'], ['a']]);
  });

  test('nodes come out in topological order, stable otherwise', () => {
    const spec = parseSpec({
      ...base,
      outputs: { y: 'c' },
      nodes: [
        { id: 'c', op: 'add', input: ['a', 'b'] },
        { id: 'a', op: 'relu', input: 'x' },
        { id: 'b', op: 'tanh', input: 'x' },
      ],
    });
    expect(spec.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
  });

  test('ports are references', () => {
    const spec = parseSpec({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 3] } },
      outputs: { y: 'enc', h: 'enc:h_n', c: 'enc:c_n' },
      nodes: [{ id: 'enc', op: 'lstm', inputSize: 3, hiddenSize: 2, numLayers: 2 }],
    });
    expect(inferShapes(spec).get('enc:c_n')!.shape).toEqual([2, 'batch', 2]);
  });

  test('parsing does not mutate its argument and is idempotent', () => {
    const json = {
      ...base,
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 4, outFeatures: 2 }],
    };
    const copy = structuredClone(json);
    const once = parseSpec(json);
    expect(json).toEqual(copy);
    expect(parseSpec(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  test('accepts JSON text', () => {
    expect(
      parseSpec(JSON.stringify({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'relu' }] }))
        .nodes,
    ).toHaveLength(1);
  });

  test('bindings make shapes numeric', () => {
    const spec = parseSpec({
      ...base,
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 4, outFeatures: 2 }],
    });
    expect(inferShapes(spec, { batch: 3 }).get('a')!.shape).toEqual([3, 2]);
  });
});

describe('graph errors', () => {
  test('unknown reference', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'relu', input: 'nope' }] }),
    ).toEqual([
      { path: ['nodes', 0, 'input'], message: expect.stringContaining('unknown reference "nope"') },
    ]);
  });

  test('unknown output reference', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'zz' }, nodes: [{ id: 'a', op: 'relu' }] })[0].path,
    ).toEqual(['outputs', 'y']);
  });

  test('unknown port', () => {
    const issues = issuesOf({ ...base, outputs: { y: 'a:h_n' }, nodes: [{ id: 'a', op: 'relu' }] });
    expect(issues[0].message).toMatch(/no extra outputs/);
  });

  test('duplicate id', () => {
    const issues = issuesOf({
      ...base,
      outputs: { y: 'a' },
      nodes: [
        { id: 'a', op: 'relu' },
        { id: 'a', op: 'tanh' },
      ],
    });
    expect(issues[0]).toEqual({
      path: ['nodes', 1, 'id'],
      message: expect.stringContaining('duplicate id "a"'),
    });
  });

  test('id that shadows an input', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'x' }, nodes: [{ id: 'x', op: 'relu' }] })[0].path,
    ).toEqual(['nodes', 0, 'id']);
  });

  test('cycle', () => {
    const issues = issuesOf({
      ...base,
      outputs: { y: 'a' },
      nodes: [
        { id: 'a', op: 'add', input: ['x', 'b'] },
        { id: 'b', op: 'relu', input: 'a' },
      ],
    });
    expect(issues[0].message).toMatch(/cycle through a .*b/);
  });

  test('self reference', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'relu', input: 'a' }] })[0]
        .message,
    ).toMatch(/reads its own output/);
  });

  test('arity', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'add', input: 'x' }] })[0]
        .message,
    ).toMatch(/takes 2 inputs, got 1/);
  });

  test('int32 into a float op', () => {
    const issues = issuesOf({
      format: 'tessera.model/v1',
      inputs: { t: { dtype: 'int32', shape: [2, 3] } },
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 3, outFeatures: 2 }],
    });
    expect(issues[0].message).toMatch(/int32 tensors feed an embedding, or a position input/);
  });

  test('first node needs an input when the model has several', () => {
    const issues = issuesOf({
      format: 'tessera.model/v1',
      inputs: { a: { dtype: 'float32', shape: [2] }, b: { dtype: 'float32', shape: [2] } },
      outputs: { y: 'n' },
      nodes: [{ id: 'n', op: 'relu' }],
    });
    expect(issues[0].path).toEqual(['nodes', 0, 'input']);
  });

  test('unknown op lists the known ones', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'convolution' }] })[0],
    ).toEqual({
      path: ['nodes', 0, 'op'],
      message: expect.stringMatching(/unknown op "convolution".*linear/),
    });
  });

  test('missing attribute is required', () => {
    expect(
      issuesOf({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'linear', inFeatures: 4 }] }),
    ).toEqual([
      { path: ['nodes', 0, 'outFeatures'], message: expect.stringContaining('is required') },
    ]);
  });

  test('wrong format', () => {
    expect(
      issuesOf({ ...base, format: 'x', outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'relu' }] })[0],
    ).toEqual({
      path: ['format'],
      message: 'must be "tessera.model/v1"',
    });
  });

  test('reserved names in inputs', () => {
    const json = JSON.parse(
      '{"format":"tessera.model/v1","inputs":{"__proto__":{"dtype":"float32","shape":[2]}},"outputs":{"y":"a"},"nodes":[{"id":"a","op":"relu"}]}',
    );
    expect(issuesOf(json)[0].path).toEqual(['inputs', '__proto__']);
    const dim = issuesOf({
      ...base,
      inputs: { x: { dtype: 'float32', shape: ['constructor', 4] } },
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'relu' }],
    });
    expect(dim[0]).toEqual({
      path: ['inputs', 'x', 'shape', 0],
      message: '"constructor" is a reserved name; call the dim something else',
    });
  });

  test('ids like constructor and __proto__ are plain names', () => {
    const spec = parseSpec({
      ...base,
      outputs: { y: 'constructor' },
      nodes: [
        { id: '__proto__', op: 'linear', inFeatures: 4, outFeatures: 4 },
        { id: 'constructor', op: 'relu' },
      ],
    });
    expect(inferShapes(spec).get('constructor')!.shape).toEqual(['batch', 4]);
  });

  // weight 4 × 10⁸ + bias 10⁸ = 5 × 10⁸ parameters, over the default 2²⁸.
  test('parameter limit', () => {
    const issues = issuesOf({
      ...base,
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 4, outFeatures: 100_000_000 }],
    });
    expect(issues[0].message).toMatch(/500,000,000 parameters, over the limit of 268,435,456/);
  });

  test('a configurable limit', () => {
    const json = {
      ...base,
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 4, outFeatures: 4 }],
    };
    expect(() => parseSpec(json, { limits: { maxParameters: 10 } })).toThrow(
      /20 parameters, over the limit of 10/,
    );
  });

  test('not an object, deep nesting', () => {
    expect(issuesOf(42)[0].path).toEqual([]);
    expect(issuesOf(null)[0].path).toEqual([]);
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(issuesOf({ ...base, outputs: { y: 'a' }, nodes: deep })).not.toHaveLength(0);
    expect(issuesOf('{"format": ')[0].message).toMatch(/not valid JSON/);
  });
});

describe('schema problems do not hide shape problems', () => {
  test('a misspelt attribute on one node and a width mismatch on another: both reported', () => {
    // x is [batch, 4]; nodes[2] reads nodes[1]'s 8 features but says inFeatures 5.
    const issues = issuesOf({
      ...base,
      outputs: { y: 'c' },
      nodes: [
        { id: 'a', op: 'relu', slope: 2 },
        { id: 'b', op: 'linear', input: 'x', inFeatures: 4, outFeatures: 8 },
        { id: 'c', op: 'linear', inFeatures: 5, outFeatures: 2 },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      ['nodes', 0, 'slope'],
      ['nodes', 2, 'inFeatures'],
    ]);
    expect(issues[1].message).toMatch(/8/);
  });

  test('a node reading a node that failed is not checked (its input is not known)', () => {
    const issues = issuesOf({
      ...base,
      outputs: { y: 'b' },
      nodes: [
        { id: 'a', op: 'linear', inFeatures: 4 },
        { id: 'b', op: 'linear', inFeatures: 99, outFeatures: 2 },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([['nodes', 0, 'outFeatures']]);
  });

  test('a rank-0 input to linear names inFeatures', () => {
    const issues = issuesOf({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float32', shape: [] } },
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 4, outFeatures: 2 }],
    });
    expect(issues).toEqual([
      {
        path: ['nodes', 0, 'inFeatures'],
        message: 'needs an input of rank ≥ 1 (its last dim is inFeatures)',
      },
    ]);
  });

  test('no shape checks when the inputs themselves do not parse', () => {
    const issues = issuesOf({
      format: 'tessera.model/v1',
      inputs: { x: { dtype: 'float64', shape: [2, 4] } },
      outputs: { y: 'a' },
      nodes: [{ id: 'a', op: 'linear', inFeatures: 3, outFeatures: 2 }],
    });
    expect(issues.map((i) => i.path)).toEqual([['inputs', 'x', 'dtype']]);
  });
});

describe('error reports stay small on hostile specs', () => {
  const base = {
    format: 'tessera.model/v1',
    name: 'p',
    inputs: { x: { dtype: 'float32', shape: [1, 2] } },
  };
  test('thousands of unknown references: the first 100 kept, the message lists 20 and counts the rest', () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => ({
      id: `c${i}`,
      op: 'concat',
      input: [`u${i}a`, `u${i}b`],
    }));
    const e = (() => {
      try {
        parseSpec({ ...base, outputs: { y: 'c0' }, nodes });
      } catch (err) {
        return err as SpecError;
      }
    })()!;
    expect(e.total).toBe(4000);
    expect(e.issues).toHaveLength(100);
    expect(e.message.split('\n')).toHaveLength(22); // the count, 20 problems, "... and 3980 more"
    expect(e.message).toMatch(/^4000 problems in the spec:/);
    expect(e.message).toMatch(/\.\.\. and 3980 more$/);
    expect(e.issues[0].message).toBe(
      'unknown reference "u0a"; known names: x, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, ...',
    );
  });
  test('a 1 MB op name is echoed cut, with its length', () => {
    expect(() =>
      parseSpec({ ...base, outputs: { y: 'a' }, nodes: [{ id: 'a', op: 'q'.repeat(1_000_000) }] }),
    ).toThrow(/unknown op "q{80}…" \(1,000,000 characters\)/);
  });
  test('a cycle through 1000 nodes names 10 of them', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => ({
      id: `r${i}`,
      op: 'relu',
      input: `r${(i + 1) % 1000}`,
    }));
    expect(() => parseSpec({ ...base, outputs: { y: 'r0' }, nodes })).toThrow(
      /cycle through r0 \(nodes\[0\]\), .*r9 \(nodes\[9\]\) and 990 more nodes$/,
    );
  });
});
