// PLACEHOLDER until the random kernels land.
import type { RandomKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function randomKernels(_rt: WasmRuntime): RandomKernels {
  return {
  randomUniform() { throw new Error('not yet implemented: randomUniform'); },
  randomNormal() { throw new Error('not yet implemented: randomNormal'); },
  truncatedNormal() { throw new Error('not yet implemented: truncatedNormal'); },
  dropoutMask() { throw new Error('not yet implemented: dropoutMask'); },
  };
}
