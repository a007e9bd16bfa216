/** WASM random kernels (assembly/random.ts): counter-based, so threads split the elements freely. */
import type { F32, RandomKernels } from '../kernels.js';
import { randomKeys, uniformCeiling } from '../reference/random.js';
import type { WasmRuntime } from './runtime.js';

// Rough cost of one element, for the decision to split across threads.
const HASH_FLOPS = 20;
const NORMAL_FLOPS = 150;

/** The random kernels on `rt`; they give the reference's bits exactly. */
export function randomKernels(rt: WasmRuntime): RandomKernels {
  /** Fills `out` with kernel `name(out, k0, k1, ...args)` over its elements. */
  const fill = (name: string, out: F32, seed: number, args: number[], flopsPerElement: number): void => {
    rt.call([], [out], (_, [po]) => {
      rt.parallel(name, out.length, [po, ...randomKeys(seed), ...args], out.length * flopsPerElement);
    });
  };
  return {
    randomUniform(out, seed, minval, maxval) {
      const lo = Math.fround(minval);
      const range = Math.fround(Math.fround(maxval) - lo);
      fill('randomUniform', out, seed, [lo, range, uniformCeiling(minval, maxval)], HASH_FLOPS);
    },
    randomNormal(out, seed, mean, stddev) {
      fill('randomNormal', out, seed, [mean, stddev], NORMAL_FLOPS);
    },
    truncatedNormal(out, seed, mean, stddev) {
      fill('truncatedNormal', out, seed, [mean, stddev], NORMAL_FLOPS);
    },
    dropout(x, out, mask, seed, rate) {
      rt.call([x], [out, mask], ([px], [po, pm]) => {
        const args = [px, po, pm, ...randomKeys(seed), Math.fround(rate), Math.fround(1 / (1 - rate))];
        rt.parallel('dropout', out.length, args, out.length * HASH_FLOPS);
      });
    },
  };
}
