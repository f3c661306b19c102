// @tessera/backend-tfjs/train, the training entry: train / evaluateLoss / computeGradients for a
// spec, the losses' and optimisers' option types, and the generic loop (fit) for a hand-written
// Trainable.
export { type Batch, shuffledOrder, type TrainingData } from './data.js';
export { installTrainingKernels } from './kernels/index.js';
export {
  fit,
  type LossOptions,
  type Progress,
  type Trainable,
  type TrainOptions,
  type TrainResult,
} from './loop.js';
export type { LossSpec } from './losses.js';
export { Optimizer, type OptimizerName, type OptimizerOptions } from './optimizers.js';
export { computeGradients, evaluateLoss, specTrainable, train } from './train.js';
