// PLACEHOLDER until the gemm kernels land.
import type { GemmKernels } from '../kernels.js';

export const referenceGemm: GemmKernels = {
  matmul() { throw new Error('not yet implemented: matmul'); },
};
