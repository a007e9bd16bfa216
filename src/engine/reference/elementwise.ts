// PLACEHOLDER until the elementwise kernels land.
import type { ElementwiseKernels } from '../kernels.js';

export const referenceElementwise: ElementwiseKernels = {
  unary() { throw new Error('not yet implemented: unary'); },
  unaryGrad() { throw new Error('not yet implemented: unaryGrad'); },
  binary() { throw new Error('not yet implemented: binary'); },
  transpose() { throw new Error('not yet implemented: transpose'); },
};
