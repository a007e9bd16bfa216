/**
 * Where random ops get their seeds. An explicit integer seed gives the same values on every
 * call, as in Keras; without one, each call draws the next seed from a global stream that
 * `keras.utils.setRandomSeed` restarts.
 */

let state = (Date.now() ^ 0x9e3779b9) >>> 0;

/** Restarts the global seed stream (keras.utils.set_random_seed). */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`setRandomSeed: seed must be a non-negative integer, received ${seed}`);
  state = seed >>> 0;
}

/** `seed` itself when given, else the next value of the global stream (splitmix32). */
export function drawSeed(op: string, seed?: number): number {
  if (seed !== undefined) {
    if (!Number.isInteger(seed)) throw new Error(`${op}: seed must be an integer, received ${seed}`);
    return seed >>> 0;
  }
  state = (state + 0x9e3779b9) >>> 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
