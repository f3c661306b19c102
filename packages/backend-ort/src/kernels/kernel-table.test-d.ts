// Type-level checks of the kernel table, run by tsc (the package's tsconfig includes src): each
// `@ts-expect-error` fails the build if the line below it stops being an error.
import { kernelTable } from './index.js';
import type { KernelTable } from './types.js';

const kernels = kernelTable('ms-attention');

// The table itself is complete, on every attention path.
kernels satisfies KernelTable;
kernelTable('matmul') satisfies KernelTable;

// A table without one of its entries is not a KernelTable.
const { matmul: _matmul, ...withoutMatmul } = kernels;
// @ts-expect-error a table without matmul is not a KernelTable
export const missingPrimitive: KernelTable = withoutMatmul;

const { transformerEncoderLayer: _tel, ...withoutComposite } = kernels;
// @ts-expect-error a composite needs an entry too, if only 'decompose'
export const missingComposite: KernelTable = withoutComposite;

// @ts-expect-error only a composite may say 'decompose': linear has no decomposition
export const decomposedPrimitive: KernelTable = { ...kernels, linear: 'decompose' };

// A composite may say 'decompose', and any op unsupported(reason).
export const decomposedComposite: KernelTable = { ...kernels, multiHeadAttention: 'decompose' };
export const unsupportedOp: KernelTable = { ...kernels, lstm: { unsupported: 'no LSTM here' } };

// @ts-expect-error an emitter of another op does not fit (linear's emitter as matmul's)
export const wrongEmitter: KernelTable = { ...kernels, matmul: kernels.linear };
