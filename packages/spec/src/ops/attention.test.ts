// attention's defaults, the attribute each shape rule blames, and its decomposition's layout:
// sub-nodes `<id>.<sub>` reading exactly the manifest's weights under the node's weightPrefix.
import { describe, expect, test } from 'vitest';
import { SpecError } from '../errors.js';
import { parseSpec } from '../graph.js';
import { lowerAll, weightName } from '../lower.js';
import type { ModelSpec } from '../schema.js';
import { weightManifest } from '../weights.js';
import { opDef } from './registry.js';

const one = (node: Record<string, unknown>, shape: (number | string)[] = ['b', 't', 8]) =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape } },
    outputs: { y: 'n' },
    nodes: [{ id: 'n', ...node }],
  });

/** Every weight name the lowered graph reads, through weightName as the backends do. */
function readWeights(spec: ModelSpec): string[] {
  return lowerAll(spec)
    .nodes.flatMap((n) => (opDef(n.op)!.weights?.(n) ?? []).map((w) => weightName(n, w.name)))
    .sort();
}

test('defaults: kv heads = heads, headDim = hiddenSize / heads, causal, rope theta 10000', () => {
  const [n] = one({ op: 'attention', hiddenSize: 8, numHeads: 2 }).nodes;
  expect(n).toMatchObject({
    bias: false,
    outputBias: false,
    causal: true,
    dropout: 0,
    rope: { theta: 10000, interleaved: false },
  });
  expect(n).not.toHaveProperty('numKeyValueHeads');
  expect(weightManifest(one({ op: 'attention', hiddenSize: 8, numHeads: 2 }))).toHaveLength(4);
});

describe('shape rules blame the attribute', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['kv heads do not divide heads', { numHeads: 4, numKeyValueHeads: 3 }, 'numKeyValueHeads'],
    ['heads do not divide hiddenSize without headDim', { numHeads: 3 }, 'numHeads'],
    ['odd rotary dim', { numHeads: 2, rope: { theta: 10000, dim: 3 } }, 'rope'],
    ['rotary dim over headDim', { numHeads: 2, rope: { theta: 10000, dim: 6 } }, 'rope'],
    ['odd head size with default rope', { numHeads: 2, headDim: 3 }, 'rope'],
    ['width', { hiddenSize: 6, numHeads: 2 }, 'hiddenSize'],
  ];
  test.each(cases)('%s', (_name, attrs, attr) => {
    try {
      one({ op: 'attention', hiddenSize: 8, ...attrs });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).issues[0].path).toEqual(['nodes', 0, attr]);
    }
  });

  test('headDim alone frees numHeads from dividing hiddenSize', () => {
    expect(() => one({ op: 'attention', hiddenSize: 8, numHeads: 3, headDim: 2 })).not.toThrow();
  });
});

describe('decomposition', () => {
  test('GQA with rope: q/k roped, k/v repeated, softmax named attn_weights', () => {
    const spec = one({ op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 2 });
    const ops = Object.fromEntries(lowerAll(spec).nodes.map((n) => [n.id, n]));
    expect(ops['n.q_rope']).toMatchObject({ op: 'rope', dim: 2, theta: 10000, input: ['n.q'] });
    expect(ops['n.k_rep']).toMatchObject({ op: 'repeatInterleave', repeats: 2, dim: 1 });
    expect(ops['n.v_rep']).toMatchObject({ op: 'repeatInterleave', input: ['n.v'] });
    expect(ops['n.attn_weights']).toMatchObject({ op: 'softmax', input: ['n.masked'] });
    expect(ops['n.q_scaled'].op === 'scale' && ops['n.q_scaled'].factor).toBe(1 / Math.sqrt(2));
  });

  test('no rope, no repeat, no mask when turned off', () => {
    const spec = one({ op: 'attention', hiddenSize: 8, numHeads: 2, rope: false, causal: false });
    const ops = lowerAll(spec).nodes.map((n) => n.op);
    expect(ops).not.toContain('rope');
    expect(ops).not.toContain('repeatInterleave');
    expect(ops).not.toContain('causalMask');
  });

  test.each([
    [{ op: 'attention', hiddenSize: 8, numHeads: 4, numKeyValueHeads: 1 }],
    [{ op: 'attention', hiddenSize: 6, numHeads: 2, headDim: 4, bias: true, outputBias: true }],
  ])('reads exactly the manifest, under the weightPrefix: %j', (node) => {
    const width = node.hiddenSize;
    for (const extra of [{}, { weightPrefix: 'model.layers.3.block' }]) {
      const spec = one({ ...node, ...extra }, ['b', 't', width]);
      const manifest = weightManifest(spec).map((w) => w.name);
      expect(readWeights(spec)).toEqual([...manifest].sort());
      const prefix = 'weightPrefix' in extra ? extra.weightPrefix : 'n';
      expect(manifest.every((w) => w.startsWith(`${prefix}.`))).toBe(true);
    }
  });
});
