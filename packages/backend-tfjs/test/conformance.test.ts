// The conformance catalogue (every op and option, the presets, edge cases) against the float64
// reference, on the two variants that run in Node.js. Browser variants run in conformance-browser.
import { conformanceTests } from '@tessera/conformance/vitest';
import { createBackend } from '../src/index.js';

conformanceTests('tfjs:cpu', () => createBackend({ variant: 'cpu' }));
conformanceTests('tfjs:wasm', () => createBackend({ variant: 'wasm' }));
