/**
 * The kernels every op runs on. The WASM engine starts when keras-ts is imported (module
 * top-level await), with worker threads for every core; `setKernels` swaps in another
 * implementation, such as the reference one tests compare with.
 *
 * Environment: KERAS_TS_THREADS=n sets the thread count, KERAS_TS_SIMD=plain forces the plain
 * SIMD build where relaxed SIMD would be available.
 */
import type { Kernels } from '../engine/kernels.js';
import { createWasmKernels } from '../engine/wasm/wasm_kernels.js';
import type { EngineOptions } from '../engine/wasm/runtime.js';
import { requireWasmSimd } from '../engine/wasm/platform.js';

function optionsFromEnvironment(): EngineOptions {
  const env = typeof process !== 'undefined' ? process.env : {};
  const options: EngineOptions = {};
  if (env.KERAS_TS_THREADS) {
    const threads = Number(env.KERAS_TS_THREADS);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`keras-ts: KERAS_TS_THREADS must be a positive integer, received '${env.KERAS_TS_THREADS}'`);
    }
    options.threads = threads;
  }
  if (env.KERAS_TS_SIMD === 'plain') options.plainSimd = true;
  return options;
}

requireWasmSimd();
let active: Kernels = await createWasmKernels(optionsFromEnvironment());

export function kernels(): Kernels {
  return active;
}

/** Makes every later op run on `k`; returns the kernels that were active before. */
export function setKernels(k: Kernels): Kernels {
  const previous = active;
  active = k;
  return previous;
}
