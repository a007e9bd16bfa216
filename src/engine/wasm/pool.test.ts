import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import type { F32, Kernels, Pool2DParams } from '../kernels.js';
import { assertClose, assertSameBits, dot } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';

// The shared engines' worker threads would otherwise keep the test process alive.
after(async () => {
  for (const threads of [1, 2]) (await wasmEngine(threads)).runtime.close();
});

/** Pool2DParams for Keras's 'valid' or 'same' padding (the odd extra pixel at the bottom/right). */
function params(
  batch: number, inH: number, inW: number, channels: number,
  pool: [number, number], strides: [number, number], padding: 'valid' | 'same',
): Pool2DParams {
  const axis = (size: number, k: number, s: number): [number, number] => {
    if (padding === 'valid') return [Math.floor((size - k) / s) + 1, 0];
    const out = Math.ceil(size / s);
    return [out, Math.floor(Math.max((out - 1) * s + k - size, 0) / 2)];
  };
  const [outH, padTop] = axis(inH, pool[0], strides[0]);
  const [outW, padLeft] = axis(inW, pool[1], strides[1]);
  return {
    batch, inH, inW, channels, outH, outW,
    poolH: pool[0], poolW: pool[1], strideH: strides[0], strideW: strides[1], padTop, padLeft,
  };
}

const cases: Pool2DParams[] = [
  params(2, 8, 8, 4, [2, 2], [2, 2], 'valid'),
  params(1, 7, 9, 3, [3, 3], [1, 1], 'same'), // overlapping windows, padding on every side
  params(3, 9, 6, 5, [3, 3], [2, 2], 'same'),
  params(1, 10, 11, 1, [2, 3], [1, 2], 'same'),
  params(2, 11, 7, 6, [2, 2], [3, 3], 'valid'), // strides larger than the pool skip cells
  params(1, 5, 5, 9, [5, 5], [1, 1], 'valid'), // global pooling
  params(4, 6, 8, 7, [4, 2], [2, 1], 'same'),
  params(20, 28, 28, 37, [3, 3], [2, 2], 'same'), // over a million window visits: two threads split
  // Windows that tile the input take maxPool2dGradTiled: leftover cells, edge windows, big batches.
  params(3, 11, 9, 5, [2, 2], [2, 2], 'valid'), // the last row and column are in no window
  params(2, 7, 7, 6, [2, 2], [2, 2], 'same'), // the last windows hang over the bottom/right edge
  params(16, 26, 26, 32, [2, 2], [2, 2], 'valid'),
  params(2, 6, 7, 8, [2, 2], [1, 1], 'valid'), // whole 2x2 windows that overlap: not tiled
];

const label = (p: Pool2DParams) => `${[p.batch, p.inH, p.inW, p.channels].join('x')} pool ${p.poolH}x${p.poolW} `
  + `stride ${p.strideH}x${p.strideW} pad ${p.padTop},${p.padLeft}`;
const inSize = (p: Pool2DParams) => p.batch * p.inH * p.inW * p.channels;
const outSize = (p: Pool2DParams) => p.batch * p.outH * p.outW * p.channels;

/** A fresh output pre-filled with NaN, so an element a kernel skips cannot pass. */
function run(n: number, fill: (out: F32) => void): F32 {
  const out = new Float32Array(n).fill(NaN);
  fill(out);
  return out;
}

type PoolRun = (k: Kernels, p: Pool2DParams, x: F32, dy: F32) => F32;

const kernels: [string, PoolRun, number][] = [
  ['maxPool2d', (k, p, x) => run(outSize(p), (o) => k.maxPool2d(x, o, p)), 0],
  ['avgPool2d', (k, p, x) => run(outSize(p), (o) => k.avgPool2d(x, o, p)), 1e-6],
  ['maxPool2dGrad', (k, p, x, dy) => run(inSize(p), (o) => k.maxPool2dGrad(x, dy, o, p)), 0],
  ['avgPool2dGrad', (k, p, _x, dy) => run(inSize(p), (o) => k.avgPool2dGrad(dy, o, p)), 1e-6],
];

for (const [name, body, tol] of kernels) {
  test(`${name}: WASM matches the reference; 1 and 2 threads bit-identical`, async () => {
    for (const [i, p] of cases.entries()) {
      const x = randomF32(inSize(p), 10 + i, -3, 3);
      const dy = randomF32(outSize(p), 50 + i);
      await onAllEngines((k) => body(k, p, x, dy), (ref, one, two) => {
        // max pooling only selects and adds in the reference's order, so it matches exactly
        if (tol === 0) assertSameBits(one, ref, `${name} ${label(p)}`);
        else assertClose(one, ref, { atol: tol, rtol: tol }, `${name} ${label(p)}`);
        assertSameBits(two, one, `${name} ${label(p)} 2 threads vs 1`);
      });
    }
  });
}

test('max pooling: a tie goes to the first maximal cell of its window, tiled or not; a NaN first cell wins', async () => {
  // 8 channels take the vector 2x2 path, 6 the general one
  const ties = [params(2, 9, 8, 6, [2, 2], [2, 2], 'valid'), params(2, 9, 8, 8, [2, 2], [2, 2], 'valid'),
    params(2, 7, 7, 8, [2, 2], [2, 2], 'same'), params(2, 9, 8, 6, [3, 2], [2, 2], 'same')];
  for (const p of ties) {
    // a few values only: many ties; every 37th a NaN, which wins its window when first and is skipped after
    const x = randomF32(inSize(p), 7, -2, 2).map((v, i) => (i % 37 === 5 ? NaN : Math.round(v)));
    const dy = randomF32(outSize(p), 8);
    const forward = (k: Kernels) => run(outSize(p), (o) => k.maxPool2d(x, o, p));
    const backward = (k: Kernels) => run(inSize(p), (o) => k.maxPool2dGrad(x, dy, o, p));
    for (const body of [forward, backward]) {
      await onAllEngines(body, (ref, one, two) => {
        assertSameBits(one, ref, label(p));
        assertSameBits(two, one, `${label(p)} 2 threads vs 1`);
      });
    }
  }
});

test('pool reference: hand-computed cases', () => {
  const x = Float32Array.from({ length: 16 }, (_, i) => i);
  const out = new Float32Array(4);
  reference.maxPool2d(x, out, params(1, 4, 4, 1, [2, 2], [2, 2], 'valid'));
  assert.deepEqual([...out], [5, 7, 13, 15]);

  // 3x3 input 1..9, 2x2 'same' with stride 2: the bottom/right windows hang over the edge and
  // average only their cells inside.
  const nine = Float32Array.from({ length: 9 }, (_, i) => i + 1);
  reference.avgPool2d(nine, out, params(1, 3, 3, 1, [2, 2], [2, 2], 'same'));
  assert.deepEqual([...out], [3, 4.5, 7.5, 9]);

  // Ties go to the first cell in row-major window order; overlapping windows accumulate.
  const dx = new Float32Array(4);
  const square = params(1, 2, 2, 1, [2, 2], [1, 1], 'valid');
  reference.maxPool2dGrad(new Float32Array([1, 1, 1, 1]), new Float32Array([5]), dx, square);
  assert.deepEqual([...dx], [5, 0, 0, 0]);
  const dx3 = new Float32Array(3);
  const row = params(1, 1, 3, 1, [1, 2], [1, 1], 'valid');
  reference.maxPool2dGrad(new Float32Array([1, 3, 2]), new Float32Array([1, 2]), dx3, row);
  assert.deepEqual([...dx3], [0, 3, 0]);
  reference.avgPool2dGrad(new Float32Array([1, 2]), dx3, row);
  assert.deepEqual([...dx3], [0.5, 1.5, 1]);
});

test('avgPool2dGrad is the adjoint of avgPool2d (reference)', () => {
  for (const [i, p] of cases.slice(0, -1).entries()) {
    const x = randomF32(inSize(p), 100 + i);
    const dy = randomF32(outSize(p), 200 + i);
    const y = run(outSize(p), (o) => reference.avgPool2d(x, o, p));
    const dx = run(inSize(p), (o) => reference.avgPool2dGrad(dy, o, p));
    const [lhs, rhs] = [dot(y, dy), dot(x, dx)];
    assert.ok(Math.abs(lhs - rhs) < 1e-4, `${label(p)}: <pool(x), dy> ${lhs} vs <x, grad(dy)> ${rhs}`);
  }
});

test('maxPool2dGrad matches finite differences of maxPool2d (reference)', () => {
  for (const [i, p] of cases.slice(0, 4).entries()) {
    // distinct values 0.1 apart, so a step of 0.01 never changes which cell is maximal
    const order = randomF32(inSize(p), 300 + i);
    const ranks = [...order.keys()].sort((a, b) => order[a] - order[b]);
    const x = new Float32Array(inSize(p));
    ranks.forEach((cell, r) => { x[cell] = r * 0.1; });
    const dy = randomF32(outSize(p), 400 + i);
    const loss = (v: F32) => dot(run(outSize(p), (o) => reference.maxPool2d(v, o, p)), dy);
    const dx = run(inSize(p), (o) => reference.maxPool2dGrad(x, dy, o, p));
    const h = 0.01;
    for (let j = 0; j < x.length; j += 7) {
      const plus = x.slice();
      const minus = x.slice();
      plus[j] += h;
      minus[j] -= h;
      const numeric = (loss(plus) - loss(minus)) / (2 * h);
      assert.ok(Math.abs(numeric - dx[j]) < 1e-3, `${label(p)} element ${j}: numeric ${numeric}, kernel ${dx[j]}`);
    }
  }
});
