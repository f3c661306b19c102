// Training from @tessera/backend-tfjs/train, in one place so the examples share one import.

export type { Batch, Progress, TrainOptions, TrainResult } from '@tessera/backend-tfjs/train';
export { evaluateLoss, train } from '@tessera/backend-tfjs/train';
