import { expect, test } from 'vitest';
import { countFlops } from './flops.js';
import { parseSpec } from './graph.js';
import { cnnClassifier } from './presets/index.js';

const spec = (inputShape: (number | string)[], nodes: unknown[]) =>
  parseSpec({
    format: 'tessera.model/v1',
    inputs: { x: { dtype: 'float32', shape: inputShape } },
    outputs: { y: (nodes[nodes.length - 1] as { id: string }).id },
    nodes,
  });

test('linear: 2·rows·in·out plus the bias', () => {
  // 3 rows × (2·4·5) = 120, bias 3·5 = 15
  expect(
    countFlops(spec([3, 4], [{ id: 'l', op: 'linear', inFeatures: 4, outFeatures: 5 }]), {}).total,
  ).toBe(135);
});

test('conv2d: 2 · outputs · (Cin/groups) · kh·kw plus the bias', () => {
  // out [1, 4, 3, 3] = 36 elements, Cin/groups = 1, k = 9: 2·36·9 = 648, bias 36
  const s = spec(
    [1, 2, 5, 5],
    [{ id: 'c', op: 'conv2d', inChannels: 2, outChannels: 4, kernelSize: 3, groups: 2 }],
  );
  expect(countFlops(s, {}).total).toBe(684);
});

test('lstm: per step 2·B·4H·(I+H) + biases 2·B·4H + 9·B·H', () => {
  // B=2, T=3, I=4, H=5: 2·2·20·9 = 720, biases 80, pointwise 90 → 890 per step, 2670 in all
  const s = spec(['b', 't', 4], [{ id: 'r', op: 'lstm', inputSize: 4, hiddenSize: 5 }]);
  expect(countFlops(s, { b: 2, t: 3 }).total).toBe(2670);
});

test('attention: projections, scores, softmax, weighted sum, output projection', () => {
  // B=1, T=4, E=8, 2 heads: in_proj 2·4·8·24 = 1536 + bias 96; scores 2·1·4·4·8 = 256;
  // softmax 4·1·2·4·4 = 128; weighted 256; out_proj 2·4·8·8 = 512 + bias 32 → 2816
  const s = spec([1, 4, 8], [{ id: 'a', op: 'multiHeadAttention', embedDim: 8, numHeads: 2 }]);
  expect(countFlops(s, {}).total).toBe(2816);
});

test('a preset adds up its nodes', () => {
  const r = countFlops(cnnClassifier(), { batch: 1 });
  // conv1: 2·(6·28·28)·25 + 6·28·28 = 235200 + 4704
  expect(r.nodes.find((n) => n.id === 'conv1')!.flops).toBe(239904);
  expect(r.total).toBe(r.nodes.reduce((s, n) => s + n.flops, 0));
});
