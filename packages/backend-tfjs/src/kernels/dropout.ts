// The identity at inference.
import type { Kernel } from './types.js';

export const dropout: Kernel<'dropout'> = { apply: (_node, [x]) => x };
