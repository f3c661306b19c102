export { type GenerateOptions, generate, sampleNext } from './generate.js';
export {
  type LMOptions,
  type LogLikelihood,
  logLikelihood,
  logSoftmaxRow,
  perplexity,
  runLogits,
} from './likelihood.js';
export {
  ByteTokenizer,
  CharTokenizer,
  type Tokenizer,
  tokenizerFromJSON,
  UNKNOWN,
  type VocabFile,
} from './tokenizer.js';
