import { poolKernel } from './pool.js';
import type { Kernel } from './types.js';

export const avgPool2d: Kernel<'avgPool2d'> = poolKernel('avg', 2);
