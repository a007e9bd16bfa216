import assert from 'node:assert/strict';
import test from 'node:test';
import type { MatmulParams } from '../kernels.js';
import { assertClose, assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32, randomInt, rng } from '../../testing/random.js';

function params(m: number, n: number, k: number, extra: Partial<MatmulParams> = {}): MatmulParams {
  return { batch: 1, m, n, k, transA: false, transB: false, strideA: m * k, strideB: k * n, ...extra };
}

/** Elements a batched operand occupies: the last batch matrix ends there. */
const extent = (batch: number, stride: number, size: number) => (batch - 1) * stride + size;

/** matmul on every engine: WASM close to the reference, 1 and 2 threads bit-identical. */
async function checkMatmul(p: MatmulParams, seed: number): Promise<void> {
  const label = `matmul ${JSON.stringify(p)}`;
  const a = randomF32(extent(p.batch, p.strideA, p.m * p.k), seed);
  const b = randomF32(extent(p.batch, p.strideB, p.k * p.n), seed + 1);
  await onAllEngines(
    (kernels) => {
      const out = new Float32Array(p.batch * p.m * p.n).fill(NaN); // every element must be written
      kernels.matmul(a, b, out, p);
      return out;
    },
    (ref, one, two) => {
      assertClose(one, ref, { atol: 1e-6 * (p.k + 1), rtol: 1e-4 }, label);
      assertSameBits(two, one, label);
    },
  );
}

test('matmul reference: hand-computed products, transposes and broadcast', () => {
  // A = [[1, 2, 3], [4, 5, 6]], B = [[1, 0], [0, 1], [2, -1]]: A @ B = [[7, -1], [16, -1]].
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([1, 0, 0, 1, 2, -1]);
  const run = (x: Float32Array, y: Float32Array, p: MatmulParams) => {
    const out = new Float32Array(p.batch * p.m * p.n);
    reference.matmul(x, y, out, p);
    return [...out];
  };
  assert.deepEqual(run(a, b, params(2, 2, 3)), [7, -1, 16, -1]);
  const aT = new Float32Array([1, 4, 2, 5, 3, 6]);
  const bT = new Float32Array([1, 0, 2, 0, 1, -1]);
  assert.deepEqual(run(aT, bT, params(2, 2, 3, { transA: true, transB: true })), [7, -1, 16, -1]);
  // Two batches of A against one broadcast B.
  const a2 = new Float32Array([...a, ...a.map((v) => -v)]);
  assert.deepEqual(run(a2, b, params(2, 2, 3, { batch: 2, strideB: 0 })), [7, -1, 16, -1, -7, 1, -16, 1]);
  // k = 0: an empty sum.
  assert.deepEqual(run(new Float32Array(0), new Float32Array(0), params(2, 2, 0)), [0, 0, 0, 0]);
});

test('matmul: edge shapes and every transpose combination', async () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 9, 5], [7, 1, 3], [3, 5, 1], [4, 8, 256], [5, 9, 257], [13, 17, 300], [33, 65, 600],
  ];
  let seed = 1;
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) await checkMatmul(params(m, n, k, { transA, transB }), seed++);
    }
  }
});

test('matmul: batches with strides and broadcast operands', async () => {
  await checkMatmul(params(6, 10, 7, { batch: 3 }), 40);
  await checkMatmul(params(6, 10, 7, { batch: 3, strideA: 0 }), 41);
  await checkMatmul(params(6, 10, 7, { batch: 3, strideB: 0, transB: true }), 42);
  // Gaps between batch matrices.
  await checkMatmul(params(5, 3, 4, { batch: 2, strideA: 29, strideB: 13, transA: true }), 43);
  await checkMatmul(params(1, 70, 40, { batch: 5 }), 44);
  // Over 1 MFLOP: batches split across threads, with a broadcast B.
  await checkMatmul(params(64, 72, 130, { batch: 4, strideB: 0, transA: true }), 45);
});

test('matmul: random shapes, large enough to split across threads', async () => {
  const r = rng(7);
  await checkMatmul(params(256, 256, 256), 50);
  await checkMatmul(params(1, 2048, 600), 51); // a single row: threads split the columns
  await checkMatmul(params(70, 3, 2500, { transA: true }), 52);
  for (let i = 0; i < 4; i++) {
    const batch = randomInt(r, 1, 3);
    const m = randomInt(r, 1, 150);
    const n = randomInt(r, 1, 150);
    const k = randomInt(r, 1, 400);
    await checkMatmul(params(m, n, k, { batch, transA: r() < 0.5, transB: r() < 0.5 }), 60 + i);
  }
});

test('matmul: the plain-SIMD build (multiply then add, no FMA) agrees too', async () => {
  const p = params(130, 70, 300, { transB: true });
  const a = randomF32(p.m * p.k, 70);
  const b = randomF32(p.k * p.n, 71);
  const results = [];
  for (const kernels of [reference, await wasmEngine(1, true), await wasmEngine(2, true)]) {
    const out = new Float32Array(p.m * p.n).fill(NaN);
    kernels.matmul(a, b, out, p);
    results.push(out);
  }
  assertClose(results[1], results[0], { atol: 1e-6 * p.k, rtol: 1e-4 }, 'plain simd');
  assertSameBits(results[2], results[1], 'plain simd threads');
});
