import type { NodeInput } from '@tessera/spec';
import { unaryCase } from './define.js';

const conv = (
  name: string,
  inChannels: number,
  length: number,
  attrs: Record<string, unknown>,
  description?: string,
) =>
  unaryCase(
    `conv1d/${name}`,
    ['batch', inChannels, 'length'],
    { id: 'conv', op: 'conv1d', inChannels, ...attrs } as NodeInput,
    {
      bindings: { batch: 2, length },
      ...(description !== undefined ? { description } : {}),
    },
  );

export const conv1dCases = [
  conv('basic', 3, 11, { outChannels: 4, kernelSize: 3 }),
  conv('stride2', 3, 13, { outChannels: 5, kernelSize: 3, stride: 2 }),
  conv('padding2', 2, 7, { outChannels: 3, kernelSize: 5, padding: 2 }),
  conv('same-odd-kernel', 3, 9, { outChannels: 4, kernelSize: 3, padding: 'same' }),
  conv(
    'same-even-kernel',
    3,
    9,
    { outChannels: 4, kernelSize: 4, padding: 'same' },
    'pads 1 before and 2 after (PyTorch)',
  ),
  conv('same-dilated', 2, 10, { outChannels: 3, kernelSize: 3, dilation: 2, padding: 'same' }),
  conv('valid', 4, 8, { outChannels: 2, kernelSize: 3, padding: 'valid' }),
  conv('dilation2', 3, 13, { outChannels: 4, kernelSize: 3, dilation: 2 }),
  conv('groups2', 4, 9, { outChannels: 6, kernelSize: 3, groups: 2, padding: 1 }),
  conv('depthwise', 5, 9, { outChannels: 5, kernelSize: 3, groups: 5 }),
  conv(
    'depthwise-multiplier',
    3,
    8,
    { outChannels: 6, kernelSize: 2, groups: 3 },
    'groups = inChannels, two filters per channel',
  ),
  conv('no-bias', 3, 7, { outChannels: 4, kernelSize: 1, bias: false }),
  conv('everything', 4, 17, {
    outChannels: 6,
    kernelSize: 3,
    stride: 3,
    padding: 2,
    dilation: 2,
    groups: 2,
  }),
  conv('groups-stride-dilation', 6, 19, {
    outChannels: 9,
    kernelSize: 3,
    stride: 2,
    dilation: 2,
    groups: 3,
  }),
  conv('even-kernel-stride-dilation', 4, 72, {
    outChannels: 2,
    kernelSize: 4,
    stride: 3,
    padding: 2,
    dilation: 2,
    groups: 2,
  }),
];
