/** Fused optimizer updates on the WASM engine (assembly/optimizer.ts). */
import type { AdamParams, F32, OptimizerKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

const ADAM_CHUNK = 4096; // elements per work unit, as in assembly/optimizer.ts
const ADAM_FLOPS_PER_ELEMENT = 12;

export function optimizerKernels(rt: WasmRuntime): OptimizerKernels {
  return {
    adamUpdate(w: F32, g: F32, m: F32, v: F32, wOut: F32, mOut: F32, vOut: F32, p: AdamParams): void {
      const n = w.length;
      rt.call([w, g, m, v], [wOut, mOut, vOut], (inputs, outputs) => {
        rt.parallel('adam_update', Math.ceil(n / ADAM_CHUNK), [...inputs, ...outputs, n, p.alpha, 1 - p.beta1, 1 - p.beta2, p.epsilon],
          n * ADAM_FLOPS_PER_ELEMENT);
      });
    },
  };
}
