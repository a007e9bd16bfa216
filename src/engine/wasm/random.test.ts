import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import type { F32, Kernels } from '../kernels.js';
import { hash32, randomBits, randomKeys, uniformCeiling } from '../reference/random.js';
import { assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';

// The shared engines' worker threads would otherwise keep the test process alive.
after(async () => {
  for (const threads of [1, 2]) (await wasmEngine(threads)).runtime.close();
});

type Fill = (k: Kernels, out: F32, seed: number) => void;

/** dropout's mask at rate 0.3 (its output is checked on its own below). */
const dropoutMask: Fill = (k, out, seed) => k.dropout(new Float32Array(out.length), new Float32Array(out.length), out, seed, 0.3);

const generators: [string, Fill][] = [
  ['randomUniform', (k, out, seed) => k.randomUniform(out, seed, -2, 3)],
  ['randomNormal', (k, out, seed) => k.randomNormal(out, seed, 1, 2)],
  ['truncatedNormal', (k, out, seed) => k.truncatedNormal(out, seed, -1, 0.5)],
  ['dropout', dropoutMask],
];

// 100,003 elements are worth more than a million flops for every generator, so two threads split.
const SIZES = [1, 3, 7, 64, 1001, 100_003];

function generate(k: Kernels, fill: Fill, n: number, seed: number): F32 {
  const out = new Float32Array(n).fill(NaN);
  fill(k, out, seed);
  return out;
}

function moments(a: F32): { mean: number; std: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / a.length) };
}

/** Fails unless |actual - expected| is within `sigmas` standard errors. */
function assertWithin(actual: number, expected: number, standardError: number, label: string, sigmas = 5): void {
  const bound = sigmas * standardError;
  assert.ok(Math.abs(actual - expected) <= bound, `${label}: ${actual}, expected ${expected} ± ${bound}`);
}

for (const [name, fill] of generators) {
  test(`${name}: WASM equals the reference bit for bit, on 1 and 2 threads`, async () => {
    for (const [i, n] of SIZES.entries()) {
      const seed = 1234 + 977 * i;
      await onAllEngines((k) => generate(k, fill, n, seed), (ref, one, two) => {
        assertSameBits(one, ref, `${name} n=${n} 1 thread vs reference`);
        assertSameBits(two, one, `${name} n=${n} 2 threads vs 1`);
      });
    }
  });

  test(`${name}: element i depends only on (seed, i)`, () => {
    const long = generate(reference, fill, 300, 42);
    const short = generate(reference, fill, 17, 42);
    assertSameBits(long.subarray(0, 17), short, `${name} prefix`);
    const other = generate(reference, fill, 300, 43);
    const farSeed = generate(reference, fill, 300, 42 + 2 ** 32);
    for (const [label, b] of [['seed 43', other], ['seed 42 + 2^32', farSeed]] as const) {
      const same = long.filter((v, i) => v === b[i]).length;
      // dropout masks take two values, so about half of them agree by chance
      assert.ok(same < (name === 'dropout' ? 220 : 10), `${name}: ${label} repeats ${same} of 300 values of seed 42`);
    }
  });
}

test('random reference: hand-checked definitions', () => {
  assert.equal(hash32(0), 0); // triple32 is a bijection that fixes 0
  assert.notEqual(hash32(1), hash32(2));
  assert.equal(uniformCeiling(1, 2), 2 - 2 ** -23);
  assert.equal(uniformCeiling(-3, -1), -1 - 2 ** -23);
  assert.equal(uniformCeiling(-1, 0), -(2 ** -149));
  assert.equal(uniformCeiling(2, 2), Infinity);

  // Element 5 of a uniform in [10, 12) is 10 + 2 * (its top 24 bits / 2^24).
  const keys = randomKeys(7);
  const out = new Float32Array(6);
  reference.randomUniform(out, 7, 10, 12);
  assert.equal(out[5], Math.fround(10 + 2 * ((randomBits(keys, 5) >>> 8) / 2 ** 24)));

  // Box-Muller by hand for elements 2 and 3 (counters 2 and 3).
  reference.randomNormal(out, 7, 0, 1);
  const u1 = ((randomBits(keys, 2) >>> 8) + 1) / 2 ** 24;
  const theta = 2 * Math.PI * ((randomBits(keys, 3) >>> 8) / 2 ** 24);
  assert.equal(out[2], Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.cos(theta)));
  assert.equal(out[3], Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.sin(theta)));

  reference.randomUniform(out, 7, 4, 4);
  assert.deepEqual([...out], [4, 4, 4, 4, 4, 4]);
  const x = Float32Array.from([1, -2, 3, -4, 5, -6]);
  const y = new Float32Array(6);
  reference.dropout(x, y, out, 7, 0);
  assert.deepEqual([...out, ...y], [1, 1, 1, 1, 1, 1, ...x]);
  reference.dropout(x, y, out, 7, 1);
  assert.deepEqual([...out, ...y], [0, 0, 0, 0, 0, 0, 0, -0, 0, -0, 0, -0]);
});

test('random: statistics of 100,000 samples (WASM, 2 threads)', async () => {
  const k = await wasmEngine(2);
  const n = 100_000;

  const uniform = generate(k, (e, o, s) => e.randomUniform(o, s, -2, 3), n, 11);
  assert.ok(uniform.every((v) => v >= -2 && v < 3), 'uniform values in [-2, 3)');
  const u = moments(uniform);
  const uStd = 5 / Math.sqrt(12);
  assertWithin(u.mean, 0.5, uStd / Math.sqrt(n), 'uniform mean');
  assertWithin(u.std, uStd, uStd / Math.sqrt(n), 'uniform std'); // the std error of a uniform's std is smaller than this

  const normal = generate(k, (e, o, s) => e.randomNormal(o, s, 1, 2), n, 12);
  const g = moments(normal);
  assertWithin(g.mean, 1, 2 / Math.sqrt(n), 'normal mean');
  assertWithin(g.std, 2, 2 / Math.sqrt(2 * n), 'normal std');
  let lag = 0; // the two halves of a Box-Muller pair must be uncorrelated
  for (let i = 0; i + 1 < n; i += 2) lag += (normal[i] - 1) * (normal[i + 1] - 1);
  assertWithin(lag / (n / 2) / 4, 0, 1 / Math.sqrt(n / 2), 'normal pair correlation');
  const tail = normal.filter((v) => Math.abs(v - 1) > 4).length / n; // P(|z| > 2) = 0.0455
  assertWithin(tail, 0.0455, Math.sqrt(0.0455 * 0.9545 / n), 'normal two-sigma tail');

  const truncated = generate(k, (e, o, s) => e.truncatedNormal(o, s, -1, 0.5), n, 13);
  assert.ok(truncated.every((v) => Math.abs(v + 1) <= 1 + 1e-6), 'truncated normal within two standard deviations');
  const t = moments(truncated);
  // A standard normal truncated to [-2, 2] has standard deviation 0.8796.
  assertWithin(t.mean, -1, 0.5 / Math.sqrt(n), 'truncated mean');
  assertWithin(t.std, 0.5 * 0.8796, 0.5 / Math.sqrt(n), 'truncated std');

  const rate = 0.3;
  const mask = generate(k, dropoutMask, n, 14);
  const keep = Math.fround(1 / (1 - rate));
  assert.ok(mask.every((v) => v === 0 || v === keep), 'dropout values are 0 or 1 / (1 - rate)');
  const dropped = mask.filter((v) => v === 0).length / n;
  assertWithin(dropped, rate, Math.sqrt(rate * (1 - rate) / n), 'dropout rate');
  assertWithin(moments(mask).mean, 1, Math.sqrt(rate / (1 - rate) / n), 'dropout keeps the mean');
});

test('dropout: out = x * mask, WASM equal to the reference bit for bit on 1 and 2 threads', async () => {
  for (const [i, n] of SIZES.entries()) {
    const x = Float32Array.from({ length: n }, (_, j) => Math.sin(j) * 3);
    await onAllEngines((k) => {
      const [out, mask] = [new Float32Array(n).fill(NaN), new Float32Array(n).fill(NaN)];
      k.dropout(x, out, mask, 99 + i, 0.25);
      return [out, mask];
    }, (ref, one, two) => {
      for (const [o, what] of ['out', 'mask'].entries()) {
        assertSameBits(one[o], ref[o], `dropout ${what} n=${n} 1 thread vs reference`);
        assertSameBits(two[o], one[o], `dropout ${what} n=${n} 2 threads vs 1`);
      }
      ref[0].forEach((v, j) => assert.equal(v, Math.fround(x[j] * ref[1][j]), `dropout out[${j}] n=${n}`));
    });
  }
});
