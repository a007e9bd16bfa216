import assert from 'node:assert/strict';
import test from 'node:test';
import type { Conv2DParams } from '../kernels.js';
import { assertClose, assertSameBits } from '../../testing/assert_close.js';
import { reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';
import { hwio, hwioTransposed, winogradConv, winogradGradInput } from './winograd.js';
import { winograd4Conv } from './winograd4.js';

/** A 3×3 stride-1 convolution of `size` (height, width) pixels; 'same' pads one pixel, 'bottom' none on top and one past the end. */
function conv3x3(batch: number, [inH, inW]: number[], inC: number, outC: number, padding: 'valid' | 'same' | 'bottom'): Conv2DParams {
  const grow = { valid: 0, same: 2, bottom: 1 }[padding], pad = padding === 'same' ? 1 : 0;
  return {
    batch, inH, inW, inC, outH: inH - 2 + grow, outW: inW - 2 + grow, outC, kH: 3, kW: 3,
    strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad,
  };
}

/**
 * F(4×4)'s transforms scale the rounding by their coefficients (up to 8 in A, 5/2 in B, 16/15 in
 * G): its largest errors are 5-8× F(2×2)'s. These tests pass down to atol 1.5e-7 per term of each
 * output's 9·inC (F(2×2)'s test allows 2e-7) and fail at 1e-7 (one input channel, where the
 * transforms' rounding outweighs the sum's); twice F(2×2)'s allowance leaves a margin.
 */
const tolerance = (terms: number) => ({ atol: 4e-7 * terms, rtol: 1e-4 });

type Conv = typeof winogradConv;

/** The forward pass with bias and ReLU, without both, and the input gradient, by `conv` on one engine. */
async function run(conv: Conv, threads: number, plainSimd: boolean, p: Conv2DParams, x: Float32Array, w: Float32Array, bias: Float32Array, dyRows: Float32Array, ldy: number) {
  const rt = (await wasmEngine(threads, plainSimd)).runtime;
  // NaN-filled outputs: every element must be written.
  const y = new Float32Array(p.batch * p.outH * p.outW * p.outC).fill(NaN);
  const linear = new Float32Array(y.length).fill(NaN);
  const dx = new Float32Array(x.length).fill(NaN);
  rt.call([x, w, bias], [y, linear], ([px, pw, pb], [py, pl]) => {
    conv(rt, px, p.inC, hwio(pw, p), pb, true, py, p);
    conv(rt, px, p.inC, hwio(pw, p), 0, false, pl, p);
  });
  rt.call([dyRows, w], [dx], ([pdy, pw], [pdx]) => conv(rt, pdy, ldy, hwioTransposed(pw, p), 0, false, pdx, winogradGradInput(p)!));
  return { y, linear, dx };
}

/** The largest |a - e| and the largest |a - e| / max|e| (the error relative to the output's scale). */
function errors(actual: Float32Array, expected: Float32Array): { abs: number; rel: number } {
  let abs = 0, scale = 0;
  for (let i = 0; i < actual.length; i++) {
    abs = Math.max(abs, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return { abs, rel: abs / scale };
}

/**
 * F(4×4)'s forward pass (bias + ReLU, and linear) and input gradient against the reference, the
 * relaxed and plain-SIMD builds each bit-identical on 1 and 2 threads; dy is read from rows padded
 * to 16 floats with NaN in the padding, as conv2dBackward hands it over. Returns the worst errors
 * of F(4×4) and of F(2×2) on the same data (relaxed build, 1 thread).
 */
async function checkWinograd4(p: Conv2DParams, seed: number) {
  const label = `winograd4 ${JSON.stringify(p)}`;
  const x = randomF32(p.batch * p.inH * p.inW * p.inC, seed);
  const w = randomF32(9 * p.inC * p.outC, seed + 1);
  const bias = randomF32(p.outC, seed + 2);
  const dy = randomF32(p.batch * p.outH * p.outW * p.outC, seed + 3);
  const ldy = Math.ceil(p.outC / 16) * 16;
  const dyRows = new Float32Array((dy.length / p.outC) * ldy).fill(NaN);
  for (let r = 0; r < dy.length / p.outC; r++) dyRows.set(dy.subarray(r * p.outC, (r + 1) * p.outC), r * ldy);
  const expected = { y: new Float32Array(dy.length), linear: new Float32Array(dy.length), dx: new Float32Array(x.length) };
  reference.conv2d(x, w, bias, expected.y, p, 'relu');
  reference.conv2d(x, w, null, expected.linear, p, 'linear');
  reference.conv2dGradInput(dy, w, expected.dx, p);
  const keys = ['y', 'linear', 'dx'] as const;
  const worst = { f4: { abs: 0, rel: 0 }, f2: { abs: 0, rel: 0 } };
  const note = (to: { abs: number; rel: number }, e: { abs: number; rel: number }) => {
    to.abs = Math.max(to.abs, e.abs);
    to.rel = Math.max(to.rel, e.rel);
  };
  for (const plainSimd of [false, true]) {
    const one = await run(winograd4Conv, 1, plainSimd, p, x, w, bias, dyRows, ldy);
    const two = await run(winograd4Conv, 2, plainSimd, p, x, w, bias, dyRows, ldy);
    for (const key of keys) {
      assertClose(one[key], expected[key], tolerance(9 * (key === 'dx' ? p.outC : p.inC)), `${label} plainSimd=${plainSimd}: ${key}`);
      assertSameBits(two[key], one[key], `${label} plainSimd=${plainSimd}: ${key} threads`);
    }
    if (plainSimd) continue;
    const f2 = await run(winogradConv, 1, false, p, x, w, bias, dyRows, ldy);
    for (const key of keys) {
      note(worst.f4, errors(one[key], expected[key]));
      note(worst.f2, errors(f2[key], expected[key]));
    }
  }
  return worst;
}

test('winograd4: odd and even output sizes (every tile remainder), every padding, channels not multiples of 4', async () => {
  let seed = 1;
  for (const padding of ['valid', 'same', 'bottom'] as const) {
    for (const size of [[3, 3], [4, 7], [8, 9], [10, 12], [13, 11]]) {
      for (const [inC, outC] of [[1, 1], [3, 5], [13, 17], [8, 16]]) {
        await checkWinograd4(conv3x3(1 + (seed % 3), size, inC, outC, padding), 10 * seed++);
      }
    }
  }
});

test('winograd4: seed CNN shapes, several work units split across threads; error beside F(2×2)\'s', async (t) => {
  // M1 conv2 and M3 conv2d_1 at small batches: 9 and 64 tiles per image.
  for (const [i, p] of [conv3x3(5, [13, 13], 32, 64, 'valid'), conv3x3(3, [32, 32], 32, 32, 'valid'), conv3x3(3, [16, 16], 32, 64, 'same')].entries()) {
    const { f4, f2 } = await checkWinograd4(p, 900 + 10 * i);
    t.diagnostic(`${p.batch}x${p.inH}x${p.inW}x${p.inC}->${p.outC}: max abs error F4 ${f4.abs.toExponential(2)} (${f4.rel.toExponential(2)} of max|out|), F2 ${f2.abs.toExponential(2)} (${f2.rel.toExponential(2)})`);
    // F(4×4) rounds worse than F(2×2), but within a small factor (5-8× measured).
    assert.ok(f4.abs < 12 * f2.abs, `F4 error ${f4.abs} vs F2 ${f2.abs}`);
  }
});
