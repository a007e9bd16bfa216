// PLACEHOLDER until the reduction kernels land.
import type { ReductionKernels } from '../kernels.js';

export const referenceReduction: ReductionKernels = {
  reduce() { throw new Error('not yet implemented: reduce'); },
  argReduce() { throw new Error('not yet implemented: argReduce'); },
  softmax() { throw new Error('not yet implemented: softmax'); },
  logSoftmax() { throw new Error('not yet implemented: logSoftmax'); },
  softmaxGrad() { throw new Error('not yet implemented: softmaxGrad'); },
  softmaxCrossEntropy() { throw new Error('not yet implemented: softmaxCrossEntropy'); },
  sparseSoftmaxCrossEntropy() { throw new Error('not yet implemented: sparseSoftmaxCrossEntropy'); },
};
