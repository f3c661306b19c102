// Replacement gradient kernels that training registers with tfjs: the same values as tfjs's own
// kernels (tested against them), without tfjs 4.22's per-element TensorBuffer access on cpu and
// filling kernels that tfjs-backend-wasm lacks.
import { installFastConvGrad } from './conv2d-backprop-filter.js';
import { installFastSegmentSum } from './unsorted-segment-sum.js';

let installed = false;

/**
 * Registers the faster gradient kernels with tfjs (once; train calls it). Call it before your own
 * tfjs training code to get them there too.
 */
export function installTrainingKernels(): void {
  if (installed) return;
  installed = true;
  installFastConvGrad();
  installFastSegmentSum();
}
