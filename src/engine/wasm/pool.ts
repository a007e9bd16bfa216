// PLACEHOLDER until the pool kernels land.
import type { PoolKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function poolKernels(_rt: WasmRuntime): PoolKernels {
  return {
  maxPool2d() { throw new Error('not yet implemented: maxPool2d'); },
  maxPool2dGrad() { throw new Error('not yet implemented: maxPool2dGrad'); },
  avgPool2d() { throw new Error('not yet implemented: avgPool2d'); },
  avgPool2dGrad() { throw new Error('not yet implemented: avgPool2dGrad'); },
  };
}
