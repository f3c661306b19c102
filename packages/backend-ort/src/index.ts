export { createBackend, type OrtBackendOptions, type OrtVariant } from './backend.js';
export {
  buildGraph,
  DEFAULT_ATTENTION,
  METADATA_SPEC_KEY,
  type OnnxGraph,
  type ToOnnxOptions,
  toOnnx,
} from './compile.js';
export { decodeModel } from './graph-builder.js';
export { type AttentionPath, attentionPaths } from './kernels/index.js';
export { manifest } from './manifest.js';
export { VERSION } from './version.js';
