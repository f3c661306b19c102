import { poolKernel } from './pool.js';
import type { Kernel } from './types.js';

export const avgPool1d: Kernel<'avgPool1d'> = poolKernel('avg', 1);
