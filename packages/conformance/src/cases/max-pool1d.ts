import { poolCase, poolVariants, symbolicLengthCases } from './pools.js';

export const maxPool1dCases = [
  ...poolVariants('maxPool1d'),
  ...symbolicLengthCases('maxPool1d', 'symbolic-ceil-mode-padding', {
    kernelSize: 3,
    stride: 2,
    padding: 1,
    ceilMode: true,
  }),
  ...symbolicLengthCases('maxPool1d', 'symbolic-dilation-ceil-mode', {
    kernelSize: 2,
    stride: 3,
    padding: 1,
    dilation: 2,
    ceilMode: true,
  }),
  // L = 10, k = 2, dilation 3 (span 4), s = 5, p = 1: out = ceil((10 + 2 − 4) / 5) + 1 = 3, and the
  // last window starts at 10 < L + p, so it stays; it needs 2·5 + 4 − 12 = 2 more cells at the
  // end, an end pad of 3 ≥ k (ONNX's pads attribute refuses a pad that large).
  poolCase(
    'maxPool1d',
    'ceil-mode-pad-over-kernel',
    [10],
    { kernelSize: 2, dilation: 3, stride: 5, padding: 1, ceilMode: true },
    'ceil mode needs an end pad of 3, more than the kernel size 2',
  ),
];
