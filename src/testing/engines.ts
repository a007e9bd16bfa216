/**
 * The engines kernel tests run: the plain-TypeScript reference and the WASM engine at 1 and 2
 * threads. WASM engines are created once per test process and shared by its tests.
 */
import type { Kernels } from '../engine/kernels.js';
import { referenceKernels } from '../engine/reference/reference_kernels.js';
import { createWasmKernels, type WasmKernels } from '../engine/wasm/wasm_kernels.js';

const wasm = new Map<string, Promise<WasmKernels>>();

/** A WASM engine with the given thread count (and SIMD flavour), shared across tests. */
export function wasmEngine(threads: number, plainSimd = false): Promise<WasmKernels> {
  const key = `${threads}/${plainSimd}`;
  if (!wasm.has(key)) wasm.set(key, createWasmKernels({ threads, plainSimd }));
  return wasm.get(key)!;
}

export const reference: Kernels = referenceKernels;

/**
 * Runs `body` on the reference, then the WASM engine at 1 and 2 threads, and hands all three
 * results to `check`. `body` must allocate fresh outputs each time.
 */
export async function onAllEngines<T>(body: (k: Kernels) => T, check: (ref: T, one: T, two: T) => void): Promise<void> {
  const ref = body(reference);
  const one = body(await wasmEngine(1));
  const two = body(await wasmEngine(2));
  check(ref, one, two);
}
