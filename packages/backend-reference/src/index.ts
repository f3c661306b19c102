// @tessera/backend-reference: the float64 oracle every other backend is judged against.
export { createBackend, type ReferenceBackend, type ReferenceBackendOptions } from './backend.js';
export { compileReference, type ReferenceModel, type RunFloat64Options } from './compile.js';
export { manifest } from './manifest.js';
export { erf, erfc } from './math/erf.js';
export type { F64Tensor } from './tensor.js';
