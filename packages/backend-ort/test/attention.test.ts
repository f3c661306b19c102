// LLaMA's attention through com.microsoft GroupQueryAttention (src/kernels/attention.ts). Most
// of the catalogue's attention cases have head sizes of 2 to 8, below what GroupQueryAttention
// takes with rotary (multiples of 16), so they prove the decomposition fallback; its
// `attention/wide-*` cases have head sizes it takes, so they prove the fused path, judged by
// conformance against the float64 reference on both node variants and both com.microsoft paths
// (test/conformance.test.ts runs them too, once per attention path). Then the graph: which nodes became
// GroupQueryAttention, and why the others did not.
import { type ConformanceCase, catalogue } from '@tessera/conformance';
import { conformanceTests } from '@tessera/conformance/vitest';
import { initWeights } from '@tessera/spec';
import { describe, expect, test } from 'vitest';
import { buildGraph } from '../src/compile.js';
import { decodeModel } from '../src/graph-builder.js';
import { createBackend } from '../src/index.js';
import { gqaRefusal } from '../src/kernels/index.js';
import { spec } from './helpers.js';

/**
 * The catalogue's cases with head sizes GroupQueryAttention takes (`attention/wide-*` and the
 * llamaLM preset with heads of 16); the graph test below checks each is one it can express.
 */
const gqaCases: ConformanceCase[] = catalogue.filter(
  (c) => c.id.startsWith('attention/wide-') || c.id === 'preset/llamaLM-head-16-small',
);
test("the catalogue holds the fused path's cases", () => {
  expect(gqaCases.length).toBeGreaterThanOrEqual(13);
});

for (const variant of ['node', 'wasm'] as const)
  for (const attention of ['ms-attention', 'ms-mha'] as const)
    conformanceTests(`ort:${variant}`, () => createBackend({ variant }), {
      cases: gqaCases,
      compileOptions: { attention },
    });

/** The op types of the ONNX graph of a case, counted. */
function opCounts(c: ConformanceCase, attention: 'ms-attention' | 'matmul'): Map<string, number> {
  const spec = c.spec();
  const graph = buildGraph(spec, initWeights(spec, 1), { attention });
  const counts = new Map<string, number>();
  for (const n of decodeModel(graph.bytes).graph!.node!)
    counts.set(n.opType!, (counts.get(n.opType!) ?? 0) + 1);
  return counts;
}

describe('which attention nodes become GroupQueryAttention', () => {
  test.each(gqaCases.map((c) => [c.id, c] as const))('%s: one per attention node', (_, c) => {
    const nodes = c.spec().nodes.filter((n) => n.op === 'attention');
    for (const n of nodes)
      expect(gqaRefusal(n as Parameters<typeof gqaRefusal>[0])).toBeUndefined();
    const counts = opCounts(c, 'ms-attention');
    expect(counts.get('GroupQueryAttention')).toBe(nodes.length);
    // No decomposed core left: the rope's rotation and the softmax are inside the fused node.
    expect(counts.get('Softmax')).toBeUndefined();
    // The portable path keeps the decomposition.
    expect(opCounts(c, 'matmul').get('GroupQueryAttention')).toBeUndefined();
  });

  test("the catalogue's attention cases the fused node cannot express decompose, and say why", () => {
    const reasons = new Map<string, string | undefined>();
    // Padded batches (`lengths`) are another path's (lengthMask), not this test's.
    const plain = (c: ConformanceCase) =>
      c.spec().nodes.every((n) => !('lengths' in n) || n.lengths === undefined);
    for (const c of catalogue.filter((c) => c.id.startsWith('attention/') && plain(c))) {
      const node = c.spec().nodes.find((n) => n.op === 'attention')!;
      const reason = gqaRefusal(node as Parameters<typeof gqaRefusal>[0]);
      reasons.set(c.id, reason);
      expect(opCounts(c, 'ms-attention').get('GroupQueryAttention') ?? 0).toBe(
        reason === undefined ? 1 : 0,
      );
    }
    expect(reasons.get('attention/not-causal')).toMatch(/causal only/);
    expect(reasons.get('attention/rope-interleaved')).toMatch(
      /head size 8 with rotary is not a multiple of 16/,
    );
    expect(reasons.get('attention/mha')).toMatch(/head size 4 is not a multiple of 8/);
    expect(reasons.get('attention/no-rope')).toMatch(/head size 2 is not a multiple of 8/);
  });

  test('decoder graphs (cache: true) keep the decomposition; rotary dims GQA refuses', () => {
    const node = (extra: Record<string, unknown>) =>
      spec({
        inputs: { x: { dtype: 'float32', shape: ['batch', 'time', 32] } },
        outputs: { y: 'a' },
        nodes: [{ id: 'a', op: 'attention', input: ['x'], hiddenSize: 32, numHeads: 2, ...extra }],
      }).nodes[0] as Parameters<typeof gqaRefusal>[0];
    expect(gqaRefusal(node({}))).toBeUndefined();
    expect(gqaRefusal(node({ cache: true }))).toMatch(/cache: true/);
    expect(gqaRefusal(node({ rope: { dim: 8 } }))).toMatch(/rotary dim 8/);
  });
});
