// PLACEHOLDER until the conv kernels land.
import type { ConvKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function convKernels(_rt: WasmRuntime): ConvKernels {
  return {
  conv2d() { throw new Error('not yet implemented: conv2d'); },
  conv2dGradInput() { throw new Error('not yet implemented: conv2dGradInput'); },
  conv2dGradFilter() { throw new Error('not yet implemented: conv2dGradFilter'); },
  };
}
