// gatedMlp's defaults and its decomposition: sub-nodes `<id>.<sub>` reading exactly the
// manifest's weights under the node's weightPrefix.
import { expect, test } from 'vitest';
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

test('gatedMlp: silu by default, act_fn after gate_proj, multiplied by up_proj', () => {
  const spec = one({ op: 'gatedMlp', hiddenSize: 8, intermediateSize: 12 });
  expect(spec.nodes[0]).toMatchObject({ activation: 'silu', bias: false });
  const ops = Object.fromEntries(lowerAll(spec).nodes.map((n) => [n.id, n]));
  expect(ops['n.act_fn']).toMatchObject({ op: 'silu', input: ['n.gate_proj'] });
  expect(ops['n.gated']).toMatchObject({ op: 'mul', input: ['n.act_fn', 'n.up_proj'] });
  expect(ops['n.down_proj']).toMatchObject({ op: 'linear', inFeatures: 12, outFeatures: 8 });
  const tanh = one({ op: 'gatedMlp', hiddenSize: 8, intermediateSize: 12, activation: 'geluTanh' });
  expect(lowerAll(tanh).nodes[1]).toMatchObject({ op: 'gelu', approximate: 'tanh' });
});

test.each([[{ activation: 'silu', bias: false }], [{ activation: 'gelu', bias: true }]])(
  'reads exactly the manifest, under the weightPrefix: %j',
  (attrs) => {
    for (const extra of [{}, { weightPrefix: 'model.layers.3.mlp' }]) {
      const spec = one({ op: 'gatedMlp', hiddenSize: 8, intermediateSize: 12, ...attrs, ...extra });
      const manifest = weightManifest(spec).map((w) => w.name);
      expect(manifest).toHaveLength(attrs.bias ? 6 : 3);
      expect(readWeights(spec)).toEqual([...manifest].sort());
      const prefix = 'weightPrefix' in extra ? extra.weightPrefix : 'n';
      expect(manifest.every((w) => w.startsWith(`${prefix}.`))).toBe(true);
    }
  },
);
