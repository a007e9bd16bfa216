/**
 * Reference random kernels. Every value is a pure function of (seed, element index, attempt):
 * `randomBits` hashes the counter with a key derived from the seed, so no state is carried
 * from one element to the next and any split of the work gives the same numbers. The WASM
 * engine (assembly/random.ts) implements the same definitions bit for bit.
 */
import type { F32, RandomKernels } from '../kernels.js';

/**
 * triple32 from Chris Wellons' hash-prospector: a bijection on 32-bit integers whose output
 * bits each flip with probability ~1/2 when any input bit flips.
 */
export function hash32(x: number): number {
  x = (x ^ (x >>> 17)) >>> 0;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}

/** Distance between the keys of consecutive attempt streams (the 32-bit golden ratio). */
export const STREAM_STEP = 0x9e3779b9;

/** The two 32-bit keys a seed stands for; seeds are integers, and all 53 bits count. */
export function randomKeys(seed: number): [number, number] {
  const s = Math.floor(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 2 ** 32) >>> 0;
  const k0 = hash32(lo ^ hash32(hi ^ 0x2545f491));
  return [k0, hash32(k0 ^ 0x6c8e9cf5)];
}

/** 32 random bits for counter `c` of attempt stream `stream`. */
export function randomBits(keys: [number, number], c: number, stream = 0): number {
  return hash32((hash32((c ^ keys[0]) >>> 0) ^ (keys[1] + Math.imul(stream, STREAM_STEP))) >>> 0);
}

/** A float in [0, 1) from the top 24 bits: every value is exact in float32. */
function unitFloat(bits: number): number {
  return (bits >>> 8) * 2 ** -24;
}

/** The largest float32 below `hi` when the range is not empty, so rounding never yields maxval. */
export function uniformCeiling(minval: number, maxval: number): number {
  const hi = Math.fround(maxval);
  if (!(hi > Math.fround(minval))) return Infinity;
  if (hi === 0) return -(2 ** -149);
  const f = new Float32Array([hi]);
  new Int32Array(f.buffer)[0] += hi > 0 ? -1 : 1;
  return f[0];
}

/**
 * One standard normal value by Box-Muller from the uniforms at counters c0 and c0 + 1: the
 * cosine half for `sine` false, the sine half (independent of it) for true. The first uniform
 * lies in (0, 1], so the logarithm is finite.
 */
function boxMuller(keys: [number, number], c0: number, stream: number, sine: boolean): number {
  const u1 = ((randomBits(keys, c0, stream) >>> 8) + 1) * 2 ** -24;
  const theta = 2 * Math.PI * unitFloat(randomBits(keys, c0 + 1, stream));
  const r = Math.sqrt(-2 * Math.log(u1));
  return r * (sine ? Math.sin(theta) : Math.cos(theta));
}

/** The definitions of the random kernels, element by element. */
export const referenceRandom: RandomKernels = {
  /** `minval + (maxval - minval) * u` in float32 arithmetic, as TensorFlow computes it. */
  randomUniform(out: F32, seed: number, minval: number, maxval: number): void {
    const keys = randomKeys(seed);
    const lo = Math.fround(minval);
    const range = Math.fround(Math.fround(maxval) - lo);
    const top = uniformCeiling(minval, maxval);
    for (let i = 0; i < out.length; i++) {
      const v = Math.fround(lo + Math.fround(range * unitFloat(randomBits(keys, i))));
      out[i] = top < v ? top : v;
    }
  },

  /** Elements 2k and 2k + 1 are the two halves of one Box-Muller pair. */
  randomNormal(out: F32, seed: number, mean: number, stddev: number): void {
    const keys = randomKeys(seed);
    for (let i = 0; i < out.length; i++) {
      out[i] = mean + stddev * boxMuller(keys, i - (i & 1), 0, (i & 1) === 1);
    }
  },

  /** Attempt a of element i draws its pair at counter 2i of stream a; the first |z| <= 2 wins. */
  truncatedNormal(out: F32, seed: number, mean: number, stddev: number): void {
    const keys = randomKeys(seed);
    for (let i = 0; i < out.length; i++) {
      let z = boxMuller(keys, 2 * i, 0, false);
      for (let a = 1; Math.abs(z) > 2; a++) z = boxMuller(keys, 2 * i, a, false);
      out[i] = mean + stddev * z;
    }
  },

  dropout(x: F32, out: F32, mask: F32, seed: number, rate: number): void {
    const keys = randomKeys(seed);
    const r = Math.fround(rate);
    const scale = Math.fround(1 / (1 - rate));
    for (let i = 0; i < out.length; i++) {
      mask[i] = unitFloat(randomBits(keys, i)) < r ? 0 : scale;
      out[i] = x[i] * mask[i];
    }
  },
};
