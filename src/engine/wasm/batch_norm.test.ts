import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import type { BatchNormParams, F32, Kernels } from '../kernels.js';
import { assertClose, assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';

// The shared engines' worker threads would otherwise keep the test process alive.
after(async () => {
  for (const threads of [1, 2]) (await wasmEngine(threads)).runtime.close();
});

const shape = (outer: number, channels: number, inner: number, epsilon = 1e-3): BatchNormParams =>
  ({ outer, channels, inner, epsilon });

const cases: BatchNormParams[] = [
  shape(7, 3, 1), // channels-last, fewer channels than a vector
  shape(1, 6, 5), // channels-first, batch 1
  shape(4, 5, 6),
  shape(64, 13, 1),
  shape(3, 4, 33, 1e-5),
  shape(2, 9, 1),
  shape(16411, 35, 1), // channels-last, big enough that two threads split every row pass
  shape(8, 16, 4500), // channels-first, likewise
];

const label = (p: BatchNormParams) => `${p.outer}x${p.channels}x${p.inner}`;
const size = (p: BatchNormParams) => p.outer * p.channels * p.inner;
const nan = (n: number) => new Float32Array(n).fill(NaN);

interface Inputs {
  x: F32;
  dy: F32;
  gamma: F32;
  beta: F32;
  mean: F32;
  variance: F32;
}

function inputs(p: BatchNormParams, seed: number): Inputs {
  return {
    // an offset mean checks that the variance does not cancel catastrophically
    x: randomF32(size(p), seed, 3, 5),
    dy: randomF32(size(p), seed + 1),
    gamma: randomF32(p.channels, seed + 2, 0.5, 2),
    beta: randomF32(p.channels, seed + 3),
    mean: randomF32(p.channels, seed + 4, 3, 5),
    variance: randomF32(p.channels, seed + 5, 0.05, 1),
  };
}

/** Each kernel's outputs as one list; `affine` false passes null gamma/beta (and dgamma/dbeta). */
type Run = (k: Kernels, p: BatchNormParams, v: Inputs, affine: boolean) => F32[];

const kernels: [string, Run][] = [
  ['batchNormTrain', (k, p, v, affine) => {
    const [out, mean, variance] = [nan(size(p)), nan(p.channels), nan(p.channels)];
    k.batchNormTrain(v.x, affine ? v.gamma : null, affine ? v.beta : null, out, mean, variance, p);
    return [out, mean, variance];
  }],
  ['batchNormInfer', (k, p, v, affine) => {
    const out = nan(size(p));
    k.batchNormInfer(v.x, v.mean, v.variance, affine ? v.gamma : null, affine ? v.beta : null, out, p);
    return [out];
  }],
  ['batchNormTrainGrad', (k, p, v, affine) => {
    const [dx, dgamma, dbeta] = [nan(size(p)), nan(p.channels), nan(p.channels)];
    // the gradient is taken at the batch statistics of x, as training computes them
    const [mean, variance] = [new Float32Array(p.channels), new Float32Array(p.channels)];
    reference.batchNormTrain(v.x, null, null, nan(size(p)), mean, variance, p);
    const [gamma, dg, db] = affine ? [v.gamma, dgamma, dbeta] : [null, null, null];
    k.batchNormTrainGrad(v.x, v.dy, gamma, mean, variance, dx, dg, db, p);
    return affine ? [dx, dgamma, dbeta] : [dx];
  }],
];

for (const [name, body] of kernels) {
  test(`${name}: WASM matches the reference; 1 and 2 threads bit-identical`, async () => {
    for (const [i, p] of cases.entries()) {
      const v = inputs(p, 10 * i);
      for (const affine of [true, false]) {
        await onAllEngines((k) => body(k, p, v, affine), (ref, one, two) => {
          ref.forEach((r, o) => {
            const what = `${name} ${label(p)} affine=${affine} output ${o}`;
            // float32 sums over up to 570,000 values against the reference's double sums
            assertClose(one[o], r, { atol: 2e-5, rtol: 2e-5 }, what);
            assertSameBits(two[o], one[o], `${what}: 2 threads vs 1`);
          });
        });
      }
    }
  });
}

test('batch norm reference: hand-computed cases', () => {
  // one channel 1, 2, 3, 4: mean 2.5, biased variance 1.25
  const p = shape(4, 1, 1, 0);
  const x = new Float32Array([1, 2, 3, 4]);
  const out = new Float32Array(4);
  const mean = new Float32Array(1);
  const variance = new Float32Array(1);
  reference.batchNormTrain(x, new Float32Array([2]), new Float32Array([1]), out, mean, variance, p);
  assert.deepEqual([mean[0], variance[0]], [2.5, 1.25]);
  const s = Math.sqrt(1.25);
  assertClose(out, [1 - 3 / s, 1 - 1 / s, 1 + 1 / s, 1 + 3 / s], {}, 'train');

  // two channels laid out outer=1 × channels=2 × inner=2: [[0, 2], [10, 14]], epsilon 1
  const q = shape(1, 2, 2, 1);
  const y = new Float32Array(4);
  const [mean2, variance2] = [new Float32Array([1, 12]), new Float32Array([3, 15])];
  reference.batchNormInfer(new Float32Array([0, 2, 10, 14]), mean2, variance2, null, null, y, q);
  assertClose(y, [-0.5, 0.5, -0.5, 0.5], {}, 'infer');

  // dy equal over a channel moves x only as a whole, which the normalization removes: dx = 0.
  const dx = new Float32Array(4);
  const dgamma = new Float32Array(1);
  const dbeta = new Float32Array(1);
  reference.batchNormTrainGrad(x, new Float32Array([1, 1, 1, 1]), null, mean, variance, dx, dgamma, dbeta, p);
  assertClose(dx, [0, 0, 0, 0], {}, 'grad of a constant dy');
  assert.deepEqual([dgamma[0], dbeta[0]], [0, 4]);
});

test('batchNormTrainGrad matches finite differences of batchNormTrain (reference)', () => {
  for (const [i, p] of cases.slice(0, 5).entries()) {
    const v = inputs(p, 100 + i);
    const loss = (x: F32, gamma: F32, beta: F32): number => {
      const out = nan(size(p));
      reference.batchNormTrain(x, gamma, beta, out, nan(p.channels), nan(p.channels), p);
      return out.reduce((s, o, j) => s + o * v.dy[j], 0);
    };
    const [dx, dgamma, dbeta] = kernels[2][1](reference, p, v, true);
    const h = 1e-2;
    const check = (param: F32, grad: F32, what: string): void => {
      for (let j = 0; j < param.length; j += 3) {
        const keep = param[j];
        param[j] = keep + h;
        const plus = loss(v.x, v.gamma, v.beta);
        param[j] = keep - h;
        const minus = loss(v.x, v.gamma, v.beta);
        param[j] = keep;
        const numeric = (plus - minus) / (2 * h);
        const message = `${label(p)} ${what}[${j}]: numeric ${numeric}, kernel ${grad[j]}`;
        assert.ok(Math.abs(numeric - grad[j]) < 2e-3 * (1 + Math.abs(numeric)), message);
      }
    };
    check(v.x, dx, 'dx');
    check(v.gamma, dgamma, 'dgamma');
    check(v.beta, dbeta, 'dbeta');
  }
});
