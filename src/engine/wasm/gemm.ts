// PLACEHOLDER until the gemm kernels land.
import type { GemmKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

export function gemmKernels(_rt: WasmRuntime): GemmKernels {
  return {
  matmul() { throw new Error('not yet implemented: matmul'); },
  };
}
