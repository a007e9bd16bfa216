// PLACEHOLDER until the batch_norm kernels land.
import type { BatchNormKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function batchNormKernels(_rt: WasmRuntime): BatchNormKernels {
  return {
  batchNormTrain() { throw new Error('not yet implemented: batchNormTrain'); },
  batchNormInfer() { throw new Error('not yet implemented: batchNormInfer'); },
  batchNormTrainGrad() { throw new Error('not yet implemented: batchNormTrainGrad'); },
  };
}
