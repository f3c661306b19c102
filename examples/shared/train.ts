// Training from @tessera/backend-tfjs, in one place so the examples share one import.

export type { Batch, Progress, TrainOptions, TrainResult } from '@tessera/backend-tfjs';
export { evaluateLoss, train } from '@tessera/backend-tfjs';
