export {
  type Backend,
  type BackendFactory,
  type BackendManifest,
  type BackendModule,
  type BackendOptions,
  type BackendPackage,
  type CompiledModel,
  type CompileOptions,
  type Host,
  isDefaultIn,
  type ManifestEntry,
  type OpCall,
  type PeerRef,
  type ProfileRequest,
  type Profiler,
  startVariant,
  type TypedBackend,
  unmetNeed,
  type VariantManifest,
  type VariantNeeds,
  variantsIn,
  type WasmAssets,
  wasmFilesOf,
} from './backend.js';
export {
  createDecoder,
  type DecodePlan,
  type Decoder,
  type DecoderOptions,
  decodable,
  decodePlan,
  hostStepModel,
  type StateSlot,
  type StepModel,
} from './decode.js';
export { type Dim, formatShape } from './dims.js';
export {
  asRuntimeFailure,
  formatPath,
  InputError,
  IssueList,
  type IssuePath,
  type NamedIssue,
  RuntimeFailure,
  SpecError,
  type SpecIssue,
  TesseraError,
  UnsupportedOpError,
  WeightError,
} from './errors.js';
export { countFlops, type NodeFlops, nodeFlops } from './flops.js';
export {
  inferShapes,
  type ParseOptions,
  parseSpec,
  type SafeParseResult,
  safeParseSpec,
} from './graph.js';
export {
  activationProblem,
  type CheckedInputs,
  checkInputs,
  checkStepInputs,
  idRanges,
} from './inputs.js';
export { specJsonSchema } from './json-schema.js';
export {
  appendedLengths,
  type LengthsUse,
  lengthsTimes,
  lengthsUses,
  splitLengths,
} from './lengths.js';
export { defaultLimits, type Limits, resolveLimits } from './limits.js';
export {
  isUnsupported,
  type KernelEntry,
  type LoweredNode,
  type LoweredSpec,
  lowerAll,
  lowerSpec,
  lowerWhere,
  supportOf,
  type Unsupported,
  unsupported,
  weightName,
} from './lower.js';
export { broadcastShapes } from './ops/binary.js';
export type {
  DecodeRule,
  DecomposedNode,
  Decomposition,
  FlopShapes,
  FuzzDraw,
  Fuzzed,
  InitRule,
  LengthsAttr,
  OpDef,
  OpExample,
  OpOutputs,
  TensorInfo,
  WeightDecl,
} from './ops/common.js';
export { LENGTHS_ATTRS, prefixOf, ShapeIssue, tuple } from './ops/common.js';
export { type ConvGeometry, convGeometry } from './ops/conv.js';
export { normShape } from './ops/layer-norm.js';
export { meanAxes } from './ops/mean.js';
export { ATTENTION_WEIGHTS } from './ops/multi-head-attention.js';
export { type PoolAttrs, type PoolGeometry, poolGeometry, poolOutputSize } from './ops/pool.js';
export { gateCount, recurrentWeightNames } from './ops/recurrent.js';
export {
  type CompositeOp,
  compositeOps,
  type NodeInput,
  type NodeOf,
  type NodeSpec,
  type OpName,
  opDef,
  opNames,
  opRegistry,
} from './ops/registry.js';
export { ropeFrequencies } from './ops/rope.js';
export { sliceBounds } from './ops/slice.js';
export * from './presets/index.js';
export { defaultBindings, type RandomInputOptions, randomInputs } from './random-inputs.js';
export { parseRef, type Ref } from './refs.js';
export { hashString, Rng } from './rng.js';
export { readSafetensors, type SafetensorsFile, writeSafetensors } from './safetensors.js';
export {
  joinShards,
  parseShardIndex,
  SHARD_INDEX_NAME,
  type ShardIndex,
  shardFiles,
} from './safetensors-index.js';
export {
  FORMAT,
  type InputSpec,
  inputSpecSchema,
  type ModelSpec,
  type ModelSpecInput,
  modelSchema,
} from './schema.js';
export {
  type DataOf,
  type DType,
  float32,
  int32,
  numel,
  strides,
  type Tensor,
  type TensorMap,
  tensor,
  tensorRecord,
  type Weights,
} from './tensor.js';
export {
  defineSpec,
  type ModelInputs,
  type ModelOf,
  type ModelOutputs,
  type SpecLiteral,
  type SpecTypes,
  type TypedSpec,
  typedModel,
} from './typed.js';
export {
  checkWeights,
  type InitOptions,
  initWeights,
  parameterCount,
  tiedWeights,
  toWeights,
  type WeightInfo,
  weightManifest,
} from './weights.js';
