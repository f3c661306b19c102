export { type LimitProbe, limitOf, matmulLimit, matmulProbe } from './limit.js';
export {
  fitExponent,
  type MeasureOptions,
  measure,
  measureTogether,
  peakRssGrowth,
  quantile,
  type Timing,
} from './measure.js';
export { type BenchModel, benchInputs, benchModels, scalingModel } from './models.js';
export {
  defaultPeers,
  handGraph,
  kerasModel,
  kerasPeer,
  onnxFusedPeer,
  tfLayersPeer,
} from './peers.js';
export {
  type OpTime,
  type Profile,
  type ProfilePair,
  profileModel,
  renderProfileMarkdown,
  renderProfileTerminal,
} from './profile.js';
export {
  benchToJSON,
  renderBenchMarkdown,
  renderBenchSvg,
  renderBenchTerminal,
} from './report.js';
export {
  type BackendEntry,
  type BenchOptions,
  type BenchReport,
  type BenchRow,
  type Limit,
  machine,
  type Peer,
  type PeerResult,
  type PeerTable,
  peerOf,
  runBench,
  runScaling,
  type ScalingReport,
} from './run.js';
