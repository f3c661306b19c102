import { poolVariants, symbolicLengthCases } from './pools.js';

export const avgPool1dCases = [
  ...poolVariants('avgPool1d'),
  ...symbolicLengthCases('avgPool1d', 'symbolic-ceil-mode-exclude-pad', {
    kernelSize: 3,
    stride: 2,
    padding: 1,
    ceilMode: true,
    countIncludePad: false,
  }),
  ...symbolicLengthCases('avgPool1d', 'symbolic-ceil-mode', {
    kernelSize: 3,
    stride: 2,
    ceilMode: true,
  }),
];
