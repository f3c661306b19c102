// The whole conformance catalogue against the float64 reference, on both variants that run in
// Node.js. (webgpu needs a browser: the conformance-browser package runs it.)
import { conformanceTests } from '@tessera/conformance/vitest';
import { createBackend } from '../src/index.js';

conformanceTests('ort:node', () => createBackend({ variant: 'node' }));
conformanceTests('ort:wasm', () => createBackend({ variant: 'wasm' }));
