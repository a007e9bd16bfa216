// PLACEHOLDER until the pool kernels land.
import type { PoolKernels } from '../kernels.js';

export const referencePool: PoolKernels = {
  maxPool2d() { throw new Error('not yet implemented: maxPool2d'); },
  maxPool2dGrad() { throw new Error('not yet implemented: maxPool2dGrad'); },
  avgPool2d() { throw new Error('not yet implemented: avgPool2d'); },
  avgPool2dGrad() { throw new Error('not yet implemented: avgPool2dGrad'); },
};
