export type { Backend, BackendFactory, CompiledModel, CompileOptions } from './backend.js';
export { decomposable, expandComposites } from './decompose.js';
export { type Dim, formatShape } from './dims.js';
export {
  formatPath,
  InputError,
  type IssuePath,
  type NamedIssue,
  SpecError,
  type SpecIssue,
  TesseraError,
  UnsupportedOpError,
  WeightError,
} from './errors.js';
export {
  inferShapes,
  type ParseOptions,
  parseSpec,
  type SafeParseResult,
  safeParseSpec,
} from './graph.js';
export { type CheckedInputs, checkInputs, idRanges } from './inputs.js';
export { specJsonSchema } from './json-schema.js';
export { defaultLimits, type Limits, resolveLimits } from './limits.js';
export type { DecomposedNode, InitRule, OpDef, TensorInfo, WeightDecl } from './ops/common.js';
export { tuple } from './ops/common.js';
export { convGeometry, type ConvGeometry } from './ops/conv.js';
export { meanAxes } from './ops/mean.js';
export { normShape } from './ops/layer-norm.js';
export { type PoolAttrs, poolGeometry, type PoolGeometry, poolOutputSize } from './ops/pool.js';
export { broadcastShapes } from './ops/binary.js';
export { recurrentWeightNames, gateCount } from './ops/recurrent.js';
export {
  type NodeInput,
  type NodeOf,
  type NodeSpec,
  opDef,
  type OpName,
  opNames,
  opRegistry,
} from './ops/registry.js';
export * from './presets/index.js';
export { parseRef, type Ref } from './refs.js';
export { hashString, Rng } from './rng.js';
export {
  FORMAT,
  type InputSpec,
  inputSpecSchema,
  type ModelSpec,
  type ModelSpecInput,
  modelSchema,
} from './schema.js';
export { readSafetensors, type SafetensorsFile, writeSafetensors } from './safetensors.js';
export { numel, strides, type DType, type Tensor, tensor, type Weights } from './tensor.js';
export {
  checkWeights,
  type InitOptions,
  initWeights,
  parameterCount,
  toWeights,
  type WeightInfo,
  weightManifest,
} from './weights.js';
export { defaultBindings, type RandomInputOptions, randomInputs } from './random-inputs.js';
export { countFlops, type NodeFlops, nodeFlops } from './flops.js';
