// @tessera/conformance: the case catalogue, the runner, the tolerance policy and the reports.
// The vitest helper is the subpath `@tessera/conformance/vitest`.
export {
  type ConformanceCase,
  type MaterialisedCase,
  materialise,
  model,
  type SpecialValue,
} from './case.js';
export { type CaseDefinition, defineCase } from './cases/define.js';
export { casesByOp, catalogue, edgeCases, presetCases } from './cases/index.js';
export {
  type CellKind,
  type CellOptions,
  type CellResult,
  type CellStatus,
  describeFailure,
  type FailureDetail,
  judge,
  runCell,
  unsupportedReason,
} from './cell.js';
export { type Comparison, compareTensors, type Float64Output, unravel } from './compare.js';
export {
  type DecodingCase,
  decodeChunks,
  decodeMinTime,
  decodeSuffix,
  decodingOf,
  noDecoderReason,
  runDecodeCell,
} from './decode.js';
export {
  type Expectation,
  type Expectations,
  expectations,
  expectedFailure,
  findExpectations,
  toleranceExpectations,
} from './expectations.js';
export { type RandomSpec, randomCase, randomCases, randomSpecArbitrary } from './random.js';
export {
  type Expected,
  type ReferenceBackend,
  ReferenceCache,
  type ReferenceModel,
  referenceBackend,
  sharedReferenceCache,
} from './reference.js';
export {
  type ExitOptions,
  exitCode,
  renderMarkdown,
  renderTerminal,
  reportSchemaVersion,
  reportToJSON,
  summaryLine,
} from './report.js';
export {
  applyExpectation,
  type BackendEntry,
  type CaseInfo,
  type ColumnResult,
  type ConformanceReport,
  cellKinds,
  cellStatuses,
  type MatrixRow,
  matrixRows,
  type RunOptions,
  randomSeedOf,
  runConformance,
  type WidenedTolerance,
} from './runner.js';
export { caseById, selectCases } from './select.js';
export {
  defaultTolerance,
  resolveTolerance,
  type Tolerance,
  type ToleranceOverride,
} from './tolerance.js';
