import { poolKernel } from './pool.js';
import type { Kernel } from './types.js';

export const maxPool2d: Kernel<'maxPool2d'> = poolKernel('max', 2);
