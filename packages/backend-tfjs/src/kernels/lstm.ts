import { recurrentKernel } from './recurrent.js';
import type { Kernel } from './types.js';

export const lstm: Kernel<'lstm'> = recurrentKernel();
