// PLACEHOLDER until the elementwise kernels land.
import type { ElementwiseKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function elementwiseKernels(_rt: WasmRuntime): ElementwiseKernels {
  return {
  unary() { throw new Error('not yet implemented: unary'); },
  unaryGrad() { throw new Error('not yet implemented: unaryGrad'); },
  binary() { throw new Error('not yet implemented: binary'); },
  transpose() { throw new Error('not yet implemented: transpose'); },
  };
}
