import assert from 'node:assert/strict';
import test from 'node:test';
import type { Conv2DParams, Kernels } from '../kernels.js';
import { assertClose, assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';
import {
  F2, F4, hwio, hwioTransposed, winogradConv, winogradGradFilter, winogradGradInput, winogradPays, winogradTiling, type Tiling,
} from './winograd.js';

/** A 3×3 stride-1 convolution; 'same' pads one pixel, 'bottom' none on top and one row and column past the end. */
function conv3x3(batch: number, inH: number, inW: number, inC: number, outC: number, padding: 'valid' | 'same' | 'bottom'): Conv2DParams {
  const grow = { valid: 0, same: 2, bottom: 1 }[padding];
  const pad = padding === 'same' ? 1 : 0;
  return {
    batch, inH, inW, inC, outH: inH - 2 + grow, outW: inW - 2 + grow, outC, kH: 3, kW: 3,
    strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad,
  };
}

/**
 * Winograd's rounding differs from the direct sum's by a few ulps of each output's terms (9·inC
 * for the forward pass). F(4×4)'s transforms scale the rounding by their coefficients (up to 8 in
 * A, 5/2 in B, 16/15 in G): its forward tests pass down to 1.5e-7 per term and fail at 1e-7 (one
 * input channel, where the transforms' rounding outweighs the sum's), so it is allowed twice
 * F(2×2)'s 2e-7.
 */
const tolerance = (t: Tiling, terms: number) => ({ atol: (t === F4 ? 4e-7 : 2e-7) * terms, rtol: 1e-4 });

/** Each output's number of terms: 9·inC for the forward pass, 9·outC for dx, a term per output pixel for dw. */
const terms = (p: Conv2DParams) => ({ y: 9 * p.inC, linear: 9 * p.inC, dx: 9 * p.outC, dw: p.batch * p.outH * p.outW });
const KEYS = ['y', 'linear', 'dx', 'dw'] as const;

/** What one engine computes by tiling `t`: the forward pass with bias and ReLU, without both, and the input and filter gradients. */
async function winograd(t: Tiling, threads: number, plainSimd: boolean, p: Conv2DParams, x: Float32Array, w: Float32Array, bias: Float32Array, dyRows: Float32Array, ldy: number) {
  const rt = (await wasmEngine(threads, plainSimd)).runtime;
  // NaN-filled outputs: every element must be written.
  const y = new Float32Array(p.batch * p.outH * p.outW * p.outC).fill(NaN);
  const linear = new Float32Array(y.length).fill(NaN);
  const dx = new Float32Array(x.length).fill(NaN);
  const dw = new Float32Array(w.length).fill(NaN);
  rt.call([x, w, bias], [y, linear], ([px, pw, pb], [py, pl]) => {
    winogradConv(rt, px, p.inC, hwio(pw, p), pb, true, py, p, t);
    winogradConv(rt, px, p.inC, hwio(pw, p), 0, false, pl, p, t);
  });
  rt.call([dyRows, w], [dx], ([pdy, pw], [pdx]) => winogradConv(rt, pdy, ldy, hwioTransposed(pw, p), 0, false, pdx, winogradGradInput(p)!, t));
  rt.call([x, dyRows], [dw], ([px, pdy], [pdw]) => winogradGradFilter(rt, px, pdy, ldy, pdw, p, t));
  return { y, linear, dx, dw };
}

/** The largest |a - e|. */
function maxError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

/**
 * Both tilings' forward pass (bias + ReLU, and linear), input and filter gradients against the
 * reference, the relaxed and plain-SIMD builds each bit-identical on 1 and 2 threads. dy is read
 * from rows padded to 16 floats, as conv2dBackward hands it over, with NaN in the padding.
 * Returns each tiling's largest error over the four outputs (relaxed build, 1 thread).
 */
async function checkWinograd(p: Conv2DParams, seed: number): Promise<Map<Tiling, number>> {
  const x = randomF32(p.batch * p.inH * p.inW * p.inC, seed);
  const w = randomF32(9 * p.inC * p.outC, seed + 1);
  const bias = randomF32(p.outC, seed + 2);
  const dy = randomF32(p.batch * p.outH * p.outW * p.outC, seed + 3);
  const ldy = Math.ceil(p.outC / 16) * 16;
  const dyRows = new Float32Array((dy.length / p.outC) * ldy).fill(NaN);
  for (let r = 0; r < dy.length / p.outC; r++) dyRows.set(dy.subarray(r * p.outC, (r + 1) * p.outC), r * ldy);
  const expected = {
    y: new Float32Array(dy.length), linear: new Float32Array(dy.length), dx: new Float32Array(x.length), dw: new Float32Array(w.length),
  };
  reference.conv2d(x, w, bias, expected.y, p, 'relu');
  reference.conv2d(x, w, null, expected.linear, p, 'linear');
  reference.conv2dGradInput(dy, w, expected.dx, p);
  reference.conv2dGradFilter(x, dy, expected.dw, p);
  const worst = new Map<Tiling, number>();
  for (const t of [F2, F4]) {
    const label = `winograd F(${t.tile}x${t.tile}) ${JSON.stringify(p)}`;
    for (const plainSimd of [false, true]) {
      const one = await winograd(t, 1, plainSimd, p, x, w, bias, dyRows, ldy);
      const two = await winograd(t, 2, plainSimd, p, x, w, bias, dyRows, ldy);
      for (const key of KEYS) {
        assertClose(one[key], expected[key], tolerance(t, terms(p)[key]), `${label} plainSimd=${plainSimd}: ${key}`);
        assertSameBits(two[key], one[key], `${label} plainSimd=${plainSimd}: ${key} threads`);
      }
      if (!plainSimd) worst.set(t, Math.max(...KEYS.map((key) => maxError(one[key], expected[key]))));
    }
  }
  return worst;
}

test('winograd: odd and even output sizes (every tile remainder), every padding, channels not multiples of 4', async () => {
  let seed = 1;
  for (const padding of ['valid', 'same', 'bottom'] as const) {
    for (const [inH, inW] of [[3, 3], [4, 7], [8, 9], [10, 12], [13, 11]]) {
      for (const [inC, outC] of [[1, 1], [3, 5], [13, 17], [8, 16]]) {
        await checkWinograd(conv3x3(1 + (seed % 3), inH, inW, inC, outC, padding), 10 * seed++);
      }
    }
  }
});

test('winograd: seed CNN shapes, several work units split across threads; F(4×4)\'s error beside F(2×2)\'s', async (t) => {
  // M1 conv2 and M3 conv2d_1 at small batches.
  for (const [i, p] of [conv3x3(5, 13, 13, 32, 64, 'valid'), conv3x3(2, 32, 32, 32, 32, 'valid'), conv3x3(3, 16, 16, 32, 64, 'same')].entries()) {
    const worst = await checkWinograd(p, 900 + 10 * i);
    const f2 = worst.get(F2)!, f4 = worst.get(F4)!;
    t.diagnostic(`${p.batch}x${p.inH}x${p.inW}x${p.inC}->${p.outC}: max abs error F4 ${f4.toExponential(2)}, F2 ${f2.toExponential(2)}`);
    // F(4×4) rounds worse than F(2×2), but within a small factor (5-10× measured).
    assert.ok(f4 < 12 * f2, `F4 error ${f4} vs F2 ${f2}`);
  }
});

test('winograd: the shape rule takes the tutorial CNNs\' wide 3×3 convolutions and their input gradients, not few-channel ones', () => {
  const gradPays = (p: Conv2DParams, relaxed: boolean) => winogradPays(winogradGradInput(p)!, relaxed, p.outH * p.outW);
  const m1 = conv3x3(128, 13, 13, 32, 64, 'valid'), m3 = conv3x3(64, 32, 32, 32, 32, 'valid');
  for (const relaxed of [true, false]) assert.ok(winogradPays(m1, relaxed) && winogradPays(m3, relaxed) && gradPays(m3, relaxed));
  // M1 conv2's input gradient saves 1.39× the multiplications: enough with FMA only.
  assert.ok(gradPays(m1, true) && !gradPays(m1, false));
  // M3 conv1: 3 input channels; M1 conv2 at batch 2: 72 tiles; a 'valid' 9×9 input's gradient pads 7×7 to 10×10 tiles' worth.
  assert.ok(!winogradPays(conv3x3(64, 32, 32, 3, 32, 'same'), true));
  assert.ok(!winogradPays(conv3x3(2, 13, 13, 32, 64, 'valid'), true));
  assert.ok(!gradPays(conv3x3(128, 9, 9, 64, 128, 'valid'), true));
  // F(4×4) where it does at most 0.8 of F(2×2)'s multiplications: M1 conv2 (0.56), M3 conv2d_1 (0.64) and their
  // input gradients; not a 6×6 output, where padding to whole 4×4 tiles costs as many as F(2×2).
  for (const p of [m1, m3, winogradGradInput(m1)!, winogradGradInput(m3)!]) assert.equal(winogradTiling(p), F4);
  assert.equal(winogradTiling(conv3x3(16, 8, 8, 32, 16, 'valid')), F2);
  assert.equal(winogradTiling(conv3x3(12, 8, 12, 32, 16, 'valid')), F2);
});

test('winograd: the engine\'s conv2d, conv2dGradInput, conv2dGradFilter and conv2dBackward on shapes it routes to Winograd', async () => {
  let seed = 950;
  // Batches of 168, 140 and 180 2×2 tiles: past MIN_TILES, and over a million flops, so two
  // threads split the work. The 6×10 output runs on F(2×2), the rest on F(4×4).
  for (const p of [conv3x3(4, 15, 13, 17, 20, 'valid'), conv3x3(7, 10, 7, 32, 16, 'same'), conv3x3(12, 8, 12, 32, 16, 'valid')]) {
    const label = `engine ${JSON.stringify(p)}`;
    const transposed = winogradGradInput(p)!;
    assert.ok(winogradPays(p, true) && winogradPays(transposed, true, p.outH * p.outW), `${label}: not routed`);
    const x = randomF32(p.batch * p.inH * p.inW * p.inC, seed++);
    const w = randomF32(9 * p.inC * p.outC, seed++);
    const bias = randomF32(p.outC, seed++);
    const dy = randomF32(p.batch * p.outH * p.outW * p.outC, seed++);
    const run = (k: Kernels) => {
      const y = new Float32Array(dy.length).fill(NaN);
      const dx = new Float32Array(x.length).fill(NaN);
      const gx = new Float32Array(x.length).fill(NaN);
      const dw = new Float32Array(w.length).fill(NaN);
      const gw = new Float32Array(w.length).fill(NaN);
      k.conv2d(x, w, bias, y, p, 'relu');
      k.conv2dGradInput(dy, w, dx, p);
      k.conv2dGradFilter(x, dy, dw, p);
      // Through the ReLU mask, from dy's padded rows in engine memory.
      k.conv2dBackward(x, w, y, dy, { dx: gx, dw: gw, db: null }, p, 'relu');
      return { y, dx, gx, dw, gw };
    };
    const n = terms(p);
    const tolerances = {
      y: tolerance(winogradTiling(p), n.y), dx: tolerance(winogradTiling(transposed), n.dx), gx: tolerance(winogradTiling(transposed), n.dx),
      dw: tolerance(winogradTiling(p), n.dw), gw: tolerance(winogradTiling(p), n.dw),
    };
    await onAllEngines(run, (ref, one, two) => {
      for (const key of ['y', 'dx', 'gx', 'dw', 'gw'] as const) {
        assertClose(one[key], ref[key], tolerances[key], `${label}: ${key}`);
        assertSameBits(two[key], one[key], `${label}: ${key} threads`);
      }
    });
  }
});
