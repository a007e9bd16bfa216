/** Seeded test data: the same seed gives the same arrays on every run. */

import { mulberry32 } from '../random/mulberry32.js';

/** A seeded uniform generator in [0, 1) for test inputs. */
export const rng = mulberry32;

/** `n` floats uniform in [lo, hi). */
export function randomF32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** `n` integers uniform in [0, bound). */
export function randomI32(n: number, seed: number, bound: number): Int32Array {
  const r = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * bound);
  return out;
}

/** An integer uniform in [lo, hi]. */
export function randomInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}
