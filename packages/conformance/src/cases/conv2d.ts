import type { NodeInput } from '@tessera/spec';
import { defineCase, unaryCase } from './define.js';

const conv = (
  name: string,
  inChannels: number,
  hw: [number, number],
  attrs: Record<string, unknown>,
  description?: string,
) =>
  unaryCase(
    `conv2d/${name}`,
    ['batch', inChannels, hw[0], hw[1]],
    { id: 'conv', op: 'conv2d', inChannels, ...attrs } as NodeInput,
    {
      bindings: { batch: 2 },
      ...(description !== undefined ? { description } : {}),
    },
  );

export const conv2dCases = [
  conv('basic', 3, [7, 6], { outChannels: 4, kernelSize: 3 }),
  conv('stride2', 2, [9, 7], { outChannels: 3, kernelSize: 3, stride: 2 }),
  conv('stride-tuple', 2, [9, 8], { outChannels: 3, kernelSize: [3, 2], stride: [2, 1] }),
  conv('padding1', 3, [5, 5], { outChannels: 4, kernelSize: 3, padding: 1 }),
  conv('padding-tuple', 2, [6, 5], { outChannels: 2, kernelSize: [3, 5], padding: [1, 2] }),
  conv('same-odd-kernel', 3, [6, 7], { outChannels: 2, kernelSize: 3, padding: 'same' }),
  conv(
    'same-even-kernel',
    2,
    [6, 7],
    { outChannels: 3, kernelSize: [2, 4], padding: 'same' },
    'pads (0, 1) before and (1, 2) after (PyTorch)',
  ),
  conv('valid', 3, [5, 6], { outChannels: 2, kernelSize: 2, padding: 'valid' }),
  conv('dilation2', 2, [9, 9], { outChannels: 3, kernelSize: 3, dilation: 2 }),
  conv('dilation-tuple', 2, [7, 9], {
    outChannels: 2,
    kernelSize: 3,
    dilation: [1, 3],
    padding: [1, 0],
  }),
  conv('groups2', 4, [6, 6], { outChannels: 6, kernelSize: 3, groups: 2 }),
  conv('depthwise', 4, [7, 6], { outChannels: 4, kernelSize: 3, groups: 4, padding: 1 }),
  conv('no-bias', 3, [5, 4], { outChannels: 5, kernelSize: 1, bias: false }),
  conv('everything', 4, [13, 11], {
    outChannels: 2,
    kernelSize: [3, 2],
    stride: [2, 3],
    padding: [2, 1],
    dilation: [2, 1],
    groups: 2,
  }),
  conv(
    'depthwise-stride-dilation',
    3,
    [11, 10],
    {
      outChannels: 6,
      kernelSize: 3,
      stride: [2, 3],
      dilation: 2,
      groups: 3,
      padding: 1,
    },
    'depthwise, two filters per channel, strided and dilated',
  ),
  conv(
    'stride-dilation',
    2,
    [13, 12],
    { outChannels: 3, kernelSize: [2, 3], stride: 2, dilation: [3, 2], padding: [1, 2] },
    'stride 2 with dilation (3, 2), no groups',
  ),
  conv(
    'same-dilated-grouped',
    4,
    [9, 8],
    { outChannels: 6, kernelSize: [3, 2], dilation: [2, 3], groups: 2, padding: 'same' },
    '"same" padding of a dilated even kernel: (2, 1) before and (2, 2) after',
  ),
  defineCase('conv2d/read-by-conv-and-flatten', {
    description: "one conv's output read by a conv (then batchNorm) and by a flatten",
    inputs: { x: { shape: ['batch', 2, 4, 4] } },
    nodes: [
      { id: 'c1', op: 'conv2d', input: 'x', inChannels: 2, outChannels: 3, kernelSize: 1 },
      { id: 'c2', op: 'conv2d', input: 'c1', inChannels: 3, outChannels: 2, kernelSize: 3 },
      { id: 'f', op: 'flatten', input: 'c1' },
      { id: 'bn', op: 'batchNorm', input: 'c2', numFeatures: 2 },
    ],
    outputs: { flat: 'f', bn: 'bn' },
    bindings: { batch: 2 },
  }),
];
