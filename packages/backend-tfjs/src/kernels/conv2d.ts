import { convKernel } from './conv.js';
import type { Kernel } from './types.js';

export const conv2d: Kernel<'conv2d'> = convKernel(2);
