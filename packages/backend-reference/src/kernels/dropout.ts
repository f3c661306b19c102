// nn.Dropout in eval mode is the identity.
import type { Kernel } from './types.js';

export const dropout: Kernel<'dropout'> = (_node, [x]) => x;
