// @tessera/backend-tfjs: compiles tessera.model/v1 specs to TensorFlow.js (cpu, wasm, webgl, webgpu).
// Training is its own entry, @tessera/backend-tfjs/train (src/train/index.ts).
export { createBackend, type TfjsBackend, type TfjsBackendOptions } from './backend.js';
export { compileTfjs, type TfjsModel } from './compile.js';
export { forward, prepareWeights } from './forward.js';
export { manifest } from './manifest.js';
export {
  ensureTfBackend,
  type TfVariant,
  tfVariants,
  type VariantOptions,
  VariantUnavailableError,
} from './variants.js';
