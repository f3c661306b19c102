// nn.Dropout at inference is the identity: no kernel, the value passes through.
import type { OpKernel } from './types.js';

export const dropout: OpKernel<'dropout'> = (_node, [x]) => x;
