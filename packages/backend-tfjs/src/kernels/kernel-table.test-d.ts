// Type-level checks of the kernel table, run by tsc (the package's tsconfig includes src), never
// by vitest and never shipped: each `@ts-expect-error` fails the type check if the line below it
// stops being an error.
import { unsupported } from '@tessera/spec';
import { kernels } from './index.js';
import type { KernelTable } from './types.js';

// The table itself is complete.
kernels satisfies KernelTable;

// A table without one of its entries is not a KernelTable.
const { matmul: _matmul, ...withoutMatmul } = kernels;
// @ts-expect-error a table without matmul is not a KernelTable
export const missingPrimitive: KernelTable = withoutMatmul;

const { transformerEncoderLayer: _tel, ...withoutComposite } = kernels;
// @ts-expect-error a composite needs an entry too, if only 'decompose'
export const missingComposite: KernelTable = withoutComposite;

// @ts-expect-error only a composite may say 'decompose': linear has no decomposition
export const decomposedPrimitive: KernelTable = { ...kernels, linear: 'decompose' };

// Every entry may instead say why the backend cannot run it.
export const refused: KernelTable = { ...kernels, matmul: unsupported('no products here') };
