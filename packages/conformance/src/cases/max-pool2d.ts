import { poolCase, poolVariants } from './pools.js';

export const maxPool2dCases = [
  ...poolVariants('maxPool2d'),
  poolCase('maxPool2d', 'dilation-tuple-stride-padding-ceil', [9, 10], {
    kernelSize: 3,
    stride: 2,
    padding: 1,
    dilation: [2, 1],
    ceilMode: true,
  }),
];
