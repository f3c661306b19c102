export {
  type GenerateOptions,
  type GenerateStart,
  type GenerateStats,
  generate,
  generateStream,
  generateWithStats,
  sampleNext,
} from './generate.js';
export {
  type LMOptions,
  type LogLikelihood,
  lmOptionsOf,
  logLikelihood,
  logSoftmaxRow,
  perplexity,
  runLogits,
} from './likelihood.js';
export {
  ByteTokenizer,
  CharTokenizer,
  HfTokenizer,
  type HfTokenizerConfig,
  type HfTokenizerFile,
  type HfTokenizerOptions,
  isHfTokenizerFile,
  loadHfTokenizer,
  type Tokenizer,
  tokenizerFromJSON,
  UNKNOWN,
  type VocabFile,
} from './tokenizer.js';
