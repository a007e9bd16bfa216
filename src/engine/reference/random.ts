// PLACEHOLDER until the random kernels land.
import type { RandomKernels } from '../kernels.js';

export const referenceRandom: RandomKernels = {
  randomUniform() { throw new Error('not yet implemented: randomUniform'); },
  randomNormal() { throw new Error('not yet implemented: randomNormal'); },
  truncatedNormal() { throw new Error('not yet implemented: truncatedNormal'); },
  dropoutMask() { throw new Error('not yet implemented: dropoutMask'); },
};
