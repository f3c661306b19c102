export { createBackend, type OrtBackendOptions, type OrtVariant } from './backend.js';
export {
  buildGraph,
  DEFAULT_ATTENTION,
  DEFAULT_OPSET,
  MAX_OPSET,
  METADATA_SPEC_KEY,
  MIN_OPSET,
  type OnnxGraph,
  type ToOnnxOptions,
  toOnnx,
} from './compile.js';
export { DEFAULT_EXTERNAL_THRESHOLD, type ExternalDataOptions } from './graph-builder.js';
export { type AttentionPath, attentionPaths } from './kernels/index.js';
export { type OnnxFlavour, onnxFlavours } from './kernels/types.js';
export { manifest } from './manifest.js';
export { decodeModel, type OnnxModelView, type OnnxNodeView } from './onnx-model.js';
export { VERSION } from './version.js';
