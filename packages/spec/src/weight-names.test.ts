// Weight names (DESIGN §6.1): `weightPrefix` on every op with weights, prefixes that nest but
// never meet, and `tiedTo` on linear (one table, read by the embedding and the head).
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { SpecError, WeightError } from './errors.js';
import { parseSpec } from './graph.js';
import { specJsonSchema } from './json-schema.js';
import { lowerAll, weightName } from './lower.js';
import { opDef, opNames } from './ops/registry.js';
import type { ModelSpecInput } from './schema.js';
import type { Tensor, Weights } from './tensor.js';
import {
  checkWeights,
  initWeights,
  parameterCount,
  tiedWeights,
  weightManifest,
} from './weights.js';

const base = { format: 'tessera.model/v1' as const };

function issuesOf(json: unknown) {
  try {
    parseSpec(json);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).issues;
  }
  throw new Error('expected a SpecError');
}

/** embed → linear → tied head, as a tied LM's state_dict names them. */
function tiedLM(head: Record<string, unknown> = {}, embed: Record<string, unknown> = {}) {
  return {
    ...base,
    inputs: { ids: { dtype: 'int32', shape: ['b', 't'] } },
    outputs: { logits: 'head' },
    nodes: [
      { id: 'embed', op: 'embedding', numEmbeddings: 11, embeddingDim: 4, ...embed },
      { id: 'mix', op: 'linear', inFeatures: 4, outFeatures: 4 },
      {
        id: 'head',
        op: 'linear',
        inFeatures: 4,
        outFeatures: 11,
        bias: false,
        tiedTo: 'embed',
        weightPrefix: 'lm_head',
        ...head,
      },
    ],
  } satisfies ModelSpecInput;
}

test('every op with weights accepts weightPrefix', () => {
  const missing = opNames.filter((op) => {
    const def = opDef(op)!;
    return def.weights !== undefined && !('weightPrefix' in def.schema.shape);
  });
  expect(missing).toEqual([]);
});

describe('weightPrefix', () => {
  test('names weights `<prefix>.<param>`; left out, the node id', () => {
    // An nn.Sequential's state_dict: 0.weight, 2.weight, then a nested attention.
    const spec = parseSpec({
      ...base,
      inputs: { x: { dtype: 'float32', shape: ['b', 't', 4] } },
      outputs: { y: 'attn' },
      nodes: [
        { id: 'l0', op: 'linear', inFeatures: 4, outFeatures: 4, weightPrefix: '0' },
        { id: 'act', op: 'relu' },
        { id: 'l2', op: 'linear', inFeatures: 4, outFeatures: 4, bias: false, weightPrefix: '2' },
        { id: 'norm', op: 'layerNorm', normalizedShape: 4 },
        {
          id: 'attn',
          op: 'multiHeadAttention',
          embedDim: 4,
          numHeads: 2,
          weightPrefix: 'model.layers.3.self_attn',
        },
      ],
    });
    expect(weightManifest(spec).map((w) => [w.name, w.node])).toEqual([
      ['0.weight', 'l0'],
      ['0.bias', 'l0'],
      ['2.weight', 'l2'],
      ['norm.weight', 'norm'],
      ['norm.bias', 'norm'],
      ['model.layers.3.self_attn.in_proj_weight', 'attn'],
      ['model.layers.3.self_attn.in_proj_bias', 'attn'],
      ['model.layers.3.self_attn.out_proj.weight', 'attn'],
      ['model.layers.3.self_attn.out_proj.bias', 'attn'],
    ]);
    expect(parameterCount(spec, 'attn')).toBe(4 * 12 + 12 + 16 + 4);
  });

  test('decompositions read their weights under the parent prefix (ids stay `<id>.<sub>`)', () => {
    const spec = parseSpec({
      ...base,
      inputs: { x: { dtype: 'float32', shape: ['b', 't', 4] } },
      outputs: { y: 'enc' },
      nodes: [
        {
          id: 'enc',
          op: 'transformerEncoderLayer',
          dModel: 4,
          nhead: 2,
          dimFeedforward: 6,
          weightPrefix: 'encoder.layers.0',
        },
      ],
    });
    const lowered = lowerAll(spec);
    const read = new Set<string>();
    for (const node of lowered.nodes) {
      expect(node.id.startsWith('enc.')).toBe(true);
      const params = (opDef(node.op)!.weights?.(node as never) ?? []).map((w) => w.name);
      for (const p of params) read.add(weightName(node, p));
    }
    expect([...read].sort()).toEqual(
      weightManifest(spec)
        .map((w) => w.name)
        .sort(),
    );
    const inProj = lowered.nodes.find((n) => n.id === 'enc.self_attn.in_proj')!;
    expect(weightName(inProj, 'weight')).toBe('encoder.layers.0.self_attn.in_proj_weight');
    const outProj = lowered.nodes.find((n) => n.id === 'enc.self_attn.out_proj')!;
    expect(weightName(outProj, 'bias')).toBe('encoder.layers.0.self_attn.out_proj.bias');
  });

  test('without a prefix, decompositions keep the id-derived names', () => {
    const spec = parseSpec({
      ...base,
      inputs: { x: { dtype: 'float32', shape: ['b', 't', 4] } },
      outputs: { y: 'enc' },
      nodes: [{ id: 'enc', op: 'transformerEncoderLayer', dModel: 4, nhead: 2, dimFeedforward: 6 }],
    });
    const linear1 = lowerAll(spec).nodes.find((n) => n.id === 'enc.linear1')!;
    expect(weightName(linear1, 'weight')).toBe('enc.linear1.weight');
  });

  test('must be a dotted module path', () => {
    for (const bad of ['a..b', '.a', 'a.', 'a-b', '', 'x'.repeat(257)]) {
      const issues = issuesOf({
        ...base,
        inputs: { x: { dtype: 'float32', shape: [1, 2] } },
        outputs: { y: 'l' },
        nodes: [{ id: 'l', op: 'linear', inFeatures: 2, outFeatures: 2, weightPrefix: bad }],
      });
      expect(issues[0].path).toEqual(['nodes', 0, 'weightPrefix']);
    }
  });

  test('is not an attribute of ops without weights', () => {
    const issues = issuesOf({
      ...base,
      inputs: { x: { dtype: 'float32', shape: [1, 2] } },
      outputs: { y: 'r' },
      nodes: [{ id: 'r', op: 'relu', weightPrefix: 'r' }],
    });
    expect(issues[0].path).toEqual(['nodes', 0, 'weightPrefix']);
  });

  const chain = (nodes: Record<string, unknown>[]) => ({
    ...base,
    inputs: { x: { dtype: 'float32', shape: [1, 4] } },
    outputs: { y: String(nodes[nodes.length - 1].id) },
    nodes: nodes.map((n) =>
      n.op === undefined ? { op: 'linear', inFeatures: 4, outFeatures: 4, ...n } : n,
    ),
  });

  test('two equal prefixes are a SpecError naming the weightPrefix', () => {
    const issues = issuesOf(
      chain([
        { id: 'a', weightPrefix: 'model.0' },
        { id: 'b' },
        { id: 'c', op: 'layerNorm', normalizedShape: 4, weightPrefix: 'model.0' },
      ]),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['nodes', 2, 'weightPrefix']);
    expect(issues[0].message).toContain('"model.0"');
    expect(issues[0].message).toContain('nodes[0]');
  });

  test("a prefix equal to another node's id is a SpecError on the weightPrefix", () => {
    let issues = issuesOf(chain([{ id: 'a' }, { id: 'b', weightPrefix: 'a' }]));
    expect(issues[0].path).toEqual(['nodes', 1, 'weightPrefix']);
    expect(issues[0].message).toContain('nodes[0] (id "a", no weightPrefix)');
    issues = issuesOf(chain([{ id: 'a', weightPrefix: 'b' }, { id: 'b' }]));
    expect(issues[0].path).toEqual(['nodes', 0, 'weightPrefix']);
  });

  test('nested prefixes are fine while their weight names stay apart', () => {
    const spec = parseSpec(
      chain([
        { id: 'norm', op: 'rmsNorm', normalizedShape: [4], weightPrefix: 'model.layers.0' },
        { id: 'up', weightPrefix: 'model.layers.0.mlp' },
        { id: 'down', weightPrefix: 'model.layers.0.mlp.down' },
      ]),
    );
    expect(weightManifest(spec).map((w) => w.name)).toEqual([
      'model.layers.0.weight',
      'model.layers.0.mlp.weight',
      'model.layers.0.mlp.bias',
      'model.layers.0.mlp.down.weight',
      'model.layers.0.mlp.down.bias',
    ]);
  });

  test('two prefixes that give the same full weight name are a SpecError', () => {
    // enc + self_attn.out_proj.weight = enc.self_attn.out_proj + weight.
    const issues = issuesOf({
      ...base,
      inputs: { x: { dtype: 'float32', shape: ['b', 't', 4] } },
      outputs: { y: 'proj' },
      nodes: [
        { id: 'enc', op: 'transformerEncoderLayer', dModel: 4, nhead: 2, dimFeedforward: 6 },
        {
          id: 'proj',
          op: 'linear',
          inFeatures: 4,
          outFeatures: 4,
          weightPrefix: 'enc.self_attn.out_proj',
        },
      ],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['nodes', 1, 'weightPrefix']);
    expect(issues[0].message).toContain('"enc.self_attn.out_proj.weight"');
    expect(issues[0].message).toContain('self_attn.out_proj.weight');
    expect(issues[0].message).toContain('nodes[0]');
  });

  test('the JSON Schema carries weightPrefix and tiedTo', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(specJsonSchema());
    expect(validate(tiedLM())).toBe(true);
    expect(validate(tiedLM({ weightPrefix: 'a..b' }))).toBe(false);
    expect(validate(tiedLM({ tiedTo: 3 }))).toBe(false);
  });
});

describe('tiedTo', () => {
  test('the manifest lists the table once; the head keeps its bias', () => {
    const spec = parseSpec(tiedLM({ bias: true }, { weightPrefix: 'model.embed_tokens' }));
    expect(weightManifest(spec).map((w) => w.name)).toEqual([
      'model.embed_tokens.weight',
      'mix.weight',
      'mix.bias',
      'lm_head.bias',
    ]);
    expect(tiedWeights(spec)).toEqual([
      { node: 'head', alias: 'lm_head.weight', target: 'model.embed_tokens.weight' },
    ]);
    expect(parameterCount(spec, 'head')).toBe(11);
  });

  test("lowering points the head's weight at the embedding's table", () => {
    const spec = parseSpec(tiedLM({}, { weightPrefix: 'model.embed_tokens' }));
    const head = lowerAll(spec).nodes.find((n) => n.id === 'head')!;
    expect(weightName(head, 'weight')).toBe('model.embed_tokens.weight');
    // Lowering twice (a backend lowering an already lowered spec) changes nothing.
    const again = lowerAll(lowerAll(spec) as never).nodes.find((n) => n.id === 'head')!;
    expect(weightName(again, 'weight')).toBe('model.embed_tokens.weight');
  });

  test('initWeights makes one tensor, which checkWeights accepts', () => {
    const spec = parseSpec(tiedLM());
    const w = initWeights(spec, 3);
    expect([...w.keys()]).toEqual(['embed.weight', 'mix.weight', 'mix.bias']);
    expect(w.get('embed.weight')!.shape).toEqual([11, 4]);
    checkWeights(spec, w);
  });

  test("checkWeights: the head's own copy is accepted when equal to the table", () => {
    const spec = parseSpec(tiedLM());
    const w: Weights = initWeights(spec, 3);
    const table = w.get('embed.weight')!;
    w.set('lm_head.weight', { ...table, data: new Float32Array(table.data) });
    checkWeights(spec, w);
  });

  test('checkWeights: a copy that differs is a WeightError naming both', () => {
    const spec = parseSpec(tiedLM());
    const w: Weights = initWeights(spec, 3);
    const table = w.get('embed.weight')!;
    const data = new Float32Array(table.data);
    data[5] += 1;
    w.set('lm_head.weight', { ...table, data });
    try {
      checkWeights(spec, w);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WeightError);
      const issues = (e as WeightError).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0].name).toBe('lm_head.weight');
      expect(issues[0].message).toContain('embed.weight');
      expect(issues[0].message).toContain('flat index 5');
    }
    const wrongShape: Tensor = { dtype: 'float32', shape: [4, 11], data: new Float32Array(44) };
    w.set('lm_head.weight', wrongShape);
    expect(() => checkWeights(spec, w)).toThrow(/lm_head\.weight: .*embed\.weight/);
  });

  test('checkWeights: the copy alone is not enough (the table is read under its own name)', () => {
    const spec = parseSpec(tiedLM());
    const w: Weights = initWeights(spec, 3);
    w.set('lm_head.weight', w.get('embed.weight')!);
    w.delete('embed.weight');
    expect(() => checkWeights(spec, w)).toThrow(/embed\.weight: is missing .*lm_head\.weight/);
  });

  test('a target that is not a node, or not an embedding, is a SpecError on tiedTo', () => {
    let issues = issuesOf(tiedLM({ tiedTo: 'nope' }));
    expect(issues[0].path).toEqual(['nodes', 2, 'tiedTo']);
    expect(issues[0].message).toContain('"nope" is not a node');
    issues = issuesOf(tiedLM({ tiedTo: 'mix', outFeatures: 4 }));
    expect(issues[0].path).toEqual(['nodes', 2, 'tiedTo']);
    expect(issues[0].message).toContain('is a linear, not an embedding');
  });

  test('sizes that do not match the table are a SpecError on tiedTo', () => {
    const spec = tiedLM({ outFeatures: 10 });
    const issues = issuesOf(spec);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['nodes', 2, 'tiedTo']);
    expect(issues[0].message).toContain('[11, 4]');
    expect(issues[0].message).toContain('[10, 4]');
  });

  test("a head whose own name meets another node's weight is refused", () => {
    // The alias enc.linear1.weight is the encoder layer's: checkWeights could not tell them apart.
    const spec = tiedLM({ weightPrefix: 'enc.linear1' });
    spec.nodes.splice(2, 0, {
      id: 'enc',
      op: 'transformerEncoderLayer',
      dModel: 4,
      nhead: 2,
      dimFeedforward: 6,
    } as never);
    const issues = issuesOf(spec);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toEqual(['nodes', 3, 'weightPrefix']);
    expect(issues[0].message).toContain('"enc.linear1.weight"');
  });
});
