import { poolCase, poolVariants } from './pools.js';

export const avgPool2dCases = [
  ...poolVariants('avgPool2d'),
  poolCase(
    'avgPool2d',
    'ceil-mode-dropped-window-exclude-pad',
    [5, 5],
    { kernelSize: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
    'the dropped ceil-mode window with countIncludePad false: the last kept window is clipped',
  ),
];
