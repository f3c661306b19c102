// @tessera/backend-tfjs: compiles tessera.model/v1 specs to TensorFlow.js (cpu, wasm, webgl, webgpu).
export { createBackend, type TfjsBackend, type TfjsBackendOptions } from './backend.js';
export { compileTfjs, type TfjsModel } from './compile.js';
export { forward, prepareWeights } from './forward.js';
// Training (src/train/, written against forward and prepareWeights).
export * from './train/index.js';
export {
  ensureTfBackend,
  type TfVariant,
  tfVariants,
  type VariantOptions,
  VariantUnavailableError,
} from './variants.js';
