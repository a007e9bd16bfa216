/** The WASM SIMD engine: every kernel family bound to one runtime (memory, module, threads). */
import type { Kernels } from '../kernels.js';
import { batchNormKernels } from './batch_norm.js';
import { convKernels } from './conv.js';
import { depthwiseConvKernels } from './depthwise_conv.js';
import { elementwiseKernels } from './elementwise.js';
import { gemmKernels } from './gemm.js';
import { optimizerKernels } from './optimizer.js';
import { poolKernels } from './pool.js';
import { randomKernels } from './random.js';
import { reductionKernels } from './reduction.js';
import { WasmRuntime, type EngineOptions } from './runtime.js';

export interface WasmKernels extends Kernels {
  readonly runtime: WasmRuntime;
}

export async function createWasmKernels(options: EngineOptions = {}): Promise<WasmKernels> {
  const runtime = await WasmRuntime.create(options);
  const simd = runtime.relaxed ? 'relaxed-simd' : 'simd';
  return {
    name: `wasm ${simd}, ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}`,
    runtime,
    openWorkspace: () => runtime.openWorkspace(),
    ...gemmKernels(runtime),
    ...convKernels(runtime),
    ...depthwiseConvKernels(runtime),
    ...poolKernels(runtime),
    ...batchNormKernels(runtime),
    ...randomKernels(runtime),
    ...elementwiseKernels(runtime),
    ...reductionKernels(runtime),
    ...optimizerKernels(runtime),
  };
}
