import { poolKernel } from './pool.js';
import type { Kernel } from './types.js';

export const maxPool1d: Kernel<'maxPool1d'> = poolKernel('max', 1);
