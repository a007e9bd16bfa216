// PLACEHOLDER until the batch_norm kernels land.
import type { BatchNormKernels } from '../kernels.js';

export const referenceBatchNorm: BatchNormKernels = {
  batchNormTrain() { throw new Error('not yet implemented: batchNormTrain'); },
  batchNormInfer() { throw new Error('not yet implemented: batchNormInfer'); },
  batchNormTrainGrad() { throw new Error('not yet implemented: batchNormTrainGrad'); },
};
