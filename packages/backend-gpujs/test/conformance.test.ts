// The whole conformance catalogue (every op and option, every preset) against the float64
// reference, on the two variants that run in node.
import { conformanceTests } from '@tessera/conformance/vitest';
import { createBackend } from '../src/index.js';

conformanceTests('gpujs:cpu', () => createBackend({ variant: 'cpu' }));
conformanceTests('gpujs:webasm', () => createBackend({ variant: 'webasm' }));

// gpu.js's async contract (every kernel call a promise) on the presets and recurrences, where the
// plan executor awaits the most chained kernel calls.
const chained = (c: { id: string }) => /^(preset|lstm|gru|rnn|multiHeadAttention)\//.test(c.id);
conformanceTests('gpujs:cpu', () => createBackend({ variant: 'cpu', asyncMode: true }), {
  filter: chained,
});
conformanceTests('gpujs:webasm', () => createBackend({ variant: 'webasm', asyncMode: true }), {
  filter: chained,
});
