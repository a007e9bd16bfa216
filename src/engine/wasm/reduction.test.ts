import assert from 'node:assert/strict';
import test from 'node:test';
import type { AxisParams, Kernels, ReduceOp } from '../kernels.js';
import { assertClose, assertSameBits, type Tolerance } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32, randomI32, randomInt, rng } from '../../testing/random.js';

const REDUCE_OPS: ReduceOp[] = ['sum', 'mean', 'max', 'min', 'prod'];
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs `body` on every engine: WASM close to the reference, and WASM at 1 and 2 threads bit-identical. */
async function checkEngines(label: string, tol: Tolerance, body: (k: Kernels) => Float32Array | Int32Array): Promise<void> {
  await onAllEngines(body, (ref, one, two) => {
    assertClose(one, ref, tol, `${label} (wasm vs reference)`);
    assertSameBits(two, one, `${label} (2 threads vs 1)`);
  });
}

/**
 * WASM accumulates in float32 (fixed order, several partial sums), the reference in float64: a
 * sum of n values in [-1, 1] may differ by about n * 6e-8 in the worst case. max/min are exact;
 * a product of values in [0.5, 1.5] gains ~1 ulp of relative error per factor.
 */
function reduceTolerance(op: ReduceOp, count: number): Tolerance {
  if (op === 'max' || op === 'min') return { rtol: 0, atol: 0 };
  if (op === 'prod') return { rtol: 1.2e-7 * (count + 1), atol: 0 };
  return { rtol: 1e-6, atol: (1e-7 * count) / (op === 'mean' ? count : 1) };
}

async function checkReduce(shape: number[], axes: number[], seed: number): Promise<void> {
  const x = randomF32(size(shape), seed, -1, 1);
  const positive = x.map((v) => 1 + v / 2); // [0.5, 1.5]: products neither vanish nor explode
  const outSize = size(shape.filter((_, d) => !axes.includes(d)));
  const count = size(axes.map((d) => shape[d]));
  for (const op of REDUCE_OPS) {
    await checkEngines(`${op} ${shape} over [${axes}]`, reduceTolerance(op, count), (k) => {
      const out = new Float32Array(outSize);
      k.reduce(op, op === 'prod' ? positive : x, shape, axes, out);
      return out;
    });
  }
}

test('reduce: hand-computed values on the reference', () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6]);
  const run = (op: ReduceOp, axes: number[], n: number) => {
    const out = new Float32Array(n);
    reference.reduce(op, x, [2, 3], axes, out);
    return [...out];
  };
  assert.deepEqual(run('sum', [0], 3), [5, 7, 9]);
  assert.deepEqual(run('mean', [1], 2), [2, 5]);
  assert.deepEqual(run('max', [0, 1], 1), [6]);
  assert.deepEqual(run('min', [1], 2), [1, 4]);
  assert.deepEqual(run('prod', [0, 1], 1), [720]);
});

test('reduce: random shapes of rank 0-5 over random axis sets', async () => {
  const r = rng(41);
  for (let t = 0; t < 40; t++) {
    const shape = Array.from({ length: randomInt(r, 0, 5) }, () => (r() < 0.2 ? 1 : randomInt(r, 2, 7)));
    const axes = shape.map((_, d) => d).filter(() => r() < 0.5);
    await checkReduce(shape, axes, t);
  }
});

test('reduce: fast paths (trailing, leading, global pooling, interleaved) split across threads', async () => {
  await checkReduce([1201, 1001], [1], 1); // trailing: rows
  await checkReduce([1201, 1001], [0], 2); // leading: a bias gradient
  await checkReduce([6, 31, 29, 203], [1, 2], 3); // global pooling over H, W
  await checkReduce([7, 33, 19, 301], [0, 2], 4); // two passes
  await checkReduce([3, 5, 1, 4, 2], [0, 1, 2, 3, 4], 5);
  await checkReduce([1, 1], [0, 1], 6);
});

test('reduce: NaN propagates through max/min, empty axes give the identity', async () => {
  const x = new Float32Array([1, NaN, 3, 4, 5, 6]);
  for (const op of REDUCE_OPS) {
    await checkEngines(`${op} with NaN`, { rtol: 0, atol: 0 }, (k) => {
      const out = new Float32Array(3);
      k.reduce(op, x, [2, 3], [0], out);
      return out;
    });
  }
  const expected: Record<ReduceOp, number> = { sum: 0, mean: NaN, max: -Infinity, min: Infinity, prod: 1 };
  for (const op of REDUCE_OPS) {
    await onAllEngines((k) => {
      const out = new Float32Array(6);
      k.reduce(op, new Float32Array(0), [3, 0, 2], [1], out);
      return out;
    }, (...results) => results.forEach((out) => assertClose(out, new Array(6).fill(expected[op]), {}, `${op} over empty`)));
  }
});

/** Random outer×axis×inner views, including a size-1 axis, and large ones that split. */
function axisCases(seed: number): AxisParams[] {
  const r = rng(seed);
  const cases: AxisParams[] = [
    { outer: 1, axis: 1, inner: 1 }, { outer: 5, axis: 1, inner: 3 },
    { outer: 4001, axis: 10, inner: 1 }, { outer: 31, axis: 17, inner: 101 }, { outer: 2, axis: 1003, inner: 1 },
  ];
  for (let t = 0; t < 20; t++) {
    cases.push({ outer: randomInt(r, 1, 6), axis: randomInt(r, 1, 40), inner: randomInt(r, 1, 5) });
  }
  return cases;
}

const view = (p: AxisParams) => `${p.outer}x${p.axis}x${p.inner}`;

test('argReduce: first index on ties, first NaN wins, any axis', async () => {
  for (const p of axisCases(51)) {
    const n = p.outer * p.axis * p.inner;
    // Few distinct values, so ties are common.
    const x = Float32Array.from(randomI32(n, n, 5), (v) => v - 2);
    if (n > 7) x[7] = NaN;
    for (const op of ['argmax', 'argmin'] as const) {
      await checkEngines(`${op} ${view(p)}`, { rtol: 0, atol: 0 }, (k) => {
        const out = new Int32Array(p.outer * p.inner);
        k.argReduce(op, x, out, p);
        return out;
      });
    }
  }
  const out = new Int32Array(2);
  reference.argReduce('argmax', new Float32Array([1, 3, 3, NaN, 0, NaN]), out, { outer: 2, axis: 3, inner: 1 });
  assert.deepEqual([...out], [1, 0]);
});

/** exp is within 2e-7 relative and each row sums in float32: softmax values agree to ~1e-6. */
const SOFTMAX_TOL: Tolerance = { rtol: 2e-6, atol: 1e-7 };
/** dlogits = softmax - labels cancels near 1: the softmax's absolute error, a few 1e-8, remains. */
const DLOGITS_TOL: Tolerance = { rtol: 2e-6, atol: 4e-7 };

test('softmax and logSoftmax: random views, large logits stay finite', async () => {
  for (const p of axisCases(61)) {
    const n = p.outer * p.axis * p.inner;
    const x = randomF32(n, n, -20, 20);
    for (const op of ['softmax', 'logSoftmax'] as const) {
      // logSoftmax values reach -40: their absolute error is a few ulps of that.
      await checkEngines(`${op} ${view(p)}`, op === 'softmax' ? SOFTMAX_TOL : { rtol: 2e-6, atol: 4e-6 }, (k) => {
        const out = new Float32Array(n);
        k[op](x, out, p);
        return out;
      });
    }
  }
  const big = new Float32Array([1000, 1000, -1000, 1, 2, 3]);
  const p = { outer: 2, axis: 3, inner: 1 };
  await onAllEngines((k) => {
    const soft = new Float32Array(6);
    const logSoft = new Float32Array(6);
    k.softmax(big, soft, p);
    k.logSoftmax(big, logSoft, p);
    return [soft, logSoft];
  }, (...results) => results.forEach(([soft, logSoft]) => {
    assertClose(soft, [0.5, 0.5, 0, 0.09003057, 0.24472847, 0.66524096], { rtol: 1e-6, atol: 0 }, 'softmax by hand');
    assertClose(logSoft, [-Math.LN2, -Math.LN2, -2000 - Math.LN2, -2.40760596, -1.40760596, -0.40760596],
      { rtol: 1e-6, atol: 0 }, 'logSoftmax by hand');
  }));
});

test('the plain-SIMD build (no fused multiply-add) agrees too', async () => {
  const plain = await wasmEngine(1, true);
  const p = { outer: 13, axis: 37, inner: 3 };
  const x = randomF32(13 * 37 * 3, 9, -20, 20);
  const labels = softLabels(39, 37, 10);
  const run = (k: Kernels) => {
    const soft = new Float32Array(x.length);
    const loss = new Float32Array(39);
    const dlogits = new Float32Array(x.length);
    const sums = new Float32Array(13 * 3);
    k.softmax(x, soft, p);
    k.softmaxCrossEntropy(x, labels, loss, dlogits, 39, 37);
    k.reduce('sum', x.map((v) => v / 20), [13, 37, 3], [1], sums); // values in [-1, 1], as reduceTolerance assumes
    return { soft, loss, dlogits, sums };
  };
  const want = run(reference);
  const got = run(plain);
  assertClose(got.soft, want.soft, SOFTMAX_TOL, 'plain SIMD softmax');
  assertClose(got.loss, want.loss, { rtol: 2e-6, atol: 4e-6 }, 'plain SIMD cross-entropy');
  assertClose(got.dlogits, want.dlogits, DLOGITS_TOL, 'plain SIMD dlogits');
  assertClose(got.sums, want.sums, reduceTolerance('sum', 37), 'plain SIMD sum');
});

test('softmaxGrad: random views, and the reference against finite differences', async () => {
  for (const p of axisCases(71)) {
    const n = p.outer * p.axis * p.inner;
    const y = new Float32Array(n);
    reference.softmax(randomF32(n, n, -3, 3), y, p);
    const dy = randomF32(n, n + 1, -1, 1);
    await checkEngines(`softmaxGrad ${view(p)}`, SOFTMAX_TOL, (k) => {
      const dx = new Float32Array(n);
      k.softmaxGrad(y, dy, dx, p);
      return dx;
    });
  }
  // d/dx of L(x) = sum(dy * softmax(x)) along an axis in the middle.
  const p = { outer: 2, axis: 5, inner: 3 };
  const x = randomF32(30, 3, -2, 2);
  const dy = randomF32(30, 4, -1, 1);
  const loss = (v: Float32Array) => {
    const s = new Float32Array(30);
    reference.softmax(v, s, p);
    return s.reduce((acc, t, i) => acc + t * dy[i], 0);
  };
  const y = new Float32Array(30);
  reference.softmax(x, y, p);
  const dx = new Float32Array(30);
  reference.softmaxGrad(y, dy, dx, p);
  assertClose(dx, numericGradient(loss, x), { rtol: 1e-2, atol: 2e-4 }, 'softmaxGrad vs finite differences');
});

/** Central differences in float32 inputs (h = 1e-2: float32 outputs need a wide step). */
function numericGradient(f: (x: Float32Array) => number, x: Float32Array): number[] {
  const h = 1e-2;
  return Array.from(x, (_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i] += h;
    minus[i] -= h;
    return (f(plus) - f(minus)) / (plus[i] - minus[i]);
  });
}

/** Soft labels: each row a random distribution. */
function softLabels(rows: number, classes: number, seed: number): Float32Array {
  const y = randomF32(rows * classes, seed, 0, 1);
  for (let r = 0; r < rows; r++) {
    const row = y.subarray(r * classes, (r + 1) * classes);
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((v, c) => (row[c] = v / sum));
  }
  return y;
}

const XENT_CASES: [number, number][] = [[1, 1], [3, 7], [17, 10], [4001, 10], [5, 1001]];

test('softmaxCrossEntropy: loss and dlogits, with and without the gradient', async () => {
  for (const [rows, classes] of XENT_CASES) {
    const logits = randomF32(rows * classes, rows, -10, 10);
    const labels = softLabels(rows, classes, classes);
    for (const withGrad of [true, false]) {
      await onAllEngines((k) => {
        const loss = new Float32Array(rows);
        const dlogits = withGrad ? new Float32Array(rows * classes) : null;
        k.softmaxCrossEntropy(logits, labels, loss, dlogits, rows, classes);
        return [loss, dlogits ?? new Float32Array(0)];
      }, (ref, one, two) => {
        const label = `softmaxCrossEntropy ${rows}x${classes}`;
        // The loss sums labels * (x - logsumexp) with terms up to ~20: a few ulps of those.
        assertClose(one[0], ref[0], { rtol: 2e-6, atol: 4e-6 }, `${label} loss`);
        assertClose(one[1], ref[1], DLOGITS_TOL, `${label} dlogits`);
        one.forEach((a, i) => assertSameBits(two[i], a, `${label} (2 threads vs 1)`));
      });
    }
  }
  // The reference's dlogits is the gradient of its loss.
  const logits = randomF32(12, 5, -3, 3);
  const labels = softLabels(2, 6, 6);
  const dlogits = new Float32Array(12);
  reference.softmaxCrossEntropy(logits, labels, new Float32Array(2), dlogits, 2, 6);
  const total = (v: Float32Array) => {
    const loss = new Float32Array(2);
    reference.softmaxCrossEntropy(v, labels, loss, null, 2, 6);
    return loss[0] + loss[1];
  };
  assertClose(dlogits, numericGradient(total, logits), { rtol: 1e-2, atol: 2e-4 }, 'dlogits vs finite differences');
  const loss = new Float32Array(1);
  reference.softmaxCrossEntropy(new Float32Array([1000, 0]), new Float32Array([0, 1]), loss, null, 1, 2);
  assert.equal(loss[0], 1000); // large logits stay finite
});

test('sparseSoftmaxCrossEntropy: matches one-hot labels; out-of-range labels give NaN, no stray writes', async () => {
  for (const [rows, classes] of XENT_CASES) {
    const logits = randomF32(rows * classes, rows + 1, -10, 10);
    const labels = randomI32(rows, rows, classes);
    if (rows > 2) [labels[1], labels[2]] = [-1, classes]; // rejected by ops; must stay in bounds here
    await onAllEngines((k) => {
      const loss = new Float32Array(rows);
      const dlogits = new Float32Array(rows * classes + 1).fill(7); // one guard element past the end
      k.sparseSoftmaxCrossEntropy(logits, labels, loss, dlogits.subarray(0, rows * classes), rows, classes);
      return [loss, dlogits];
    }, (ref, one, two) => {
      const label = `sparseSoftmaxCrossEntropy ${rows}x${classes}`;
      assertClose(one[0], ref[0], { rtol: 2e-6, atol: 4e-6 }, `${label} loss`);
      assertClose(one[1], ref[1], DLOGITS_TOL, `${label} dlogits`);
      one.forEach((a, i) => assertSameBits(two[i], a, `${label} (2 threads vs 1)`));
      assert.equal(one[1][rows * classes], 7, `${label}: wrote past dlogits`);
    });
    // In-range rows agree with the dense kernel on one-hot labels.
    const onehot = new Float32Array(rows * classes);
    labels.forEach((c, r) => c >= 0 && c < classes && (onehot[r * classes + c] = 1));
    const dense = new Float32Array(rows);
    const sparse = new Float32Array(rows);
    reference.softmaxCrossEntropy(logits, onehot, dense, null, rows, classes);
    reference.sparseSoftmaxCrossEntropy(logits, labels, sparse, null, rows, classes);
    labels.forEach((c, r) => assert.equal(sparse[r], c >= 0 && c < classes ? dense[r] : NaN));
  }
});
