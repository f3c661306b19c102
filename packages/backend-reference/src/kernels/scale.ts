// y = x·factor for a constant factor (attention's 1/√d).

import type { Kernel } from './types.js';
import { map } from './unary.js';

export const scale: Kernel<'scale'> = (node, [x]) => map(x, (v) => v * node.factor);
