import { convKernel } from './conv.js';
import type { Kernel } from './types.js';

export const conv1d: Kernel<'conv1d'> = convKernel(1);
