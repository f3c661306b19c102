export {
  type BackendLabel,
  type BackendModule,
  createResolver,
  defaultNodeVariants,
  formatLabel,
  type Importer,
  installedBackends,
  installedVariants,
  manifestOf,
  parseBackendLabel,
  type Resolver,
  startBackend,
  variantOf,
} from './backends.js';
export type { Command, Context } from './command.js';
export { conformance } from './commands/conformance.js';
export { exportCommand } from './commands/export.js';
export { generateCommand } from './commands/generate.js';
export { initWeightsCommand } from './commands/init-weights.js';
export { inspect } from './commands/inspect.js';
export { parseSetting, preset } from './commands/preset.js';
export { run } from './commands/run.js';
export { train } from './commands/train.js';
export { validate } from './commands/validate.js';
export { type Dataset, parseDataset } from './data.js';
export {
  CliError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  errorLines,
  SourcedError,
  UsageError,
} from './errors.js';
export type { Io, Stream } from './io.js';
export { commands, type MainOptions, main } from './main.js';
