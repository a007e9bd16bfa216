import assert from 'node:assert/strict';
import test from 'node:test';
import type { Conv2DParams, Kernels } from '../kernels.js';
import { assertClose, assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';
import { hwio, hwioTransposed, winogradConv, winogradGradFilter, winogradGradInput, winogradPays } from './winograd.js';

/** A 3×3 stride-1 convolution; 'same' pads one pixel, 'bottom' none on top and one row and column past the end. */
function conv3x3(batch: number, inH: number, inW: number, inC: number, outC: number, padding: 'valid' | 'same' | 'bottom'): Conv2DParams {
  const grow = { valid: 0, same: 2, bottom: 1 }[padding];
  const pad = padding === 'same' ? 1 : 0;
  return {
    batch, inH, inW, inC, outH: inH - 2 + grow, outW: inW - 2 + grow, outC, kH: 3, kW: 3,
    strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad,
  };
}

/** Winograd's rounding differs from the direct sum's by a few ulps of each output's 9·inC terms. */
const tolerance = (terms: number) => ({ atol: 2e-7 * terms, rtol: 1e-4 });

/** What one engine computes: the forward pass with bias and ReLU, without both, and the input and filter gradients. */
async function winograd(threads: number, plainSimd: boolean, p: Conv2DParams, x: Float32Array, w: Float32Array, bias: Float32Array, dyRows: Float32Array, ldy: number) {
  const rt = (await wasmEngine(threads, plainSimd)).runtime;
  // NaN-filled outputs: every element must be written.
  const y = new Float32Array(p.batch * p.outH * p.outW * p.outC).fill(NaN);
  const linear = new Float32Array(y.length).fill(NaN);
  const dx = new Float32Array(x.length).fill(NaN);
  const dw = new Float32Array(w.length).fill(NaN);
  rt.call([x, w, bias], [y, linear], ([px, pw, pb], [py, pl]) => {
    winogradConv(rt, px, p.inC, hwio(pw, p), pb, true, py, p);
    winogradConv(rt, px, p.inC, hwio(pw, p), 0, false, pl, p);
  });
  rt.call([dyRows, w], [dx], ([pdy, pw], [pdx]) => winogradConv(rt, pdy, ldy, hwioTransposed(pw, p), 0, false, pdx, winogradGradInput(p)!));
  rt.call([x, dyRows], [dw], ([px, pdy], [pdw]) => winogradGradFilter(rt, px, pdy, ldy, pdw, p));
  return { y, linear, dx, dw };
}

/**
 * Winograd's forward pass (bias + ReLU, and linear), input and filter gradients against the reference,
 * the relaxed and plain-SIMD builds each bit-identical on 1 and 2 threads. dy is read from rows
 * padded to 16 floats, as conv2dBackward hands it over, with NaN in the padding.
 */
async function checkWinograd(p: Conv2DParams, seed: number): Promise<void> {
  const label = `winograd ${JSON.stringify(p)}`;
  const x = randomF32(p.batch * p.inH * p.inW * p.inC, seed);
  const w = randomF32(9 * p.inC * p.outC, seed + 1);
  const bias = randomF32(p.outC, seed + 2);
  const dy = randomF32(p.batch * p.outH * p.outW * p.outC, seed + 3);
  const ldy = Math.ceil(p.outC / 16) * 16;
  const dyRows = new Float32Array((dy.length / p.outC) * ldy).fill(NaN);
  for (let r = 0; r < dy.length / p.outC; r++) dyRows.set(dy.subarray(r * p.outC, (r + 1) * p.outC), r * ldy);
  const y = new Float32Array(p.batch * p.outH * p.outW * p.outC);
  const linear = new Float32Array(y.length);
  const dx = new Float32Array(x.length);
  reference.conv2d(x, w, bias, y, p, 'relu');
  reference.conv2d(x, w, null, linear, p, 'linear');
  const dw = new Float32Array(w.length);
  reference.conv2dGradInput(dy, w, dx, p);
  reference.conv2dGradFilter(x, dy, dw, p);
  const expected = { y, linear, dx, dw };
  for (const plainSimd of [false, true]) {
    const one = await winograd(1, plainSimd, p, x, w, bias, dyRows, ldy);
    const two = await winograd(2, plainSimd, p, x, w, bias, dyRows, ldy);
    for (const key of ['y', 'linear', 'dx', 'dw'] as const) {
      const terms = { y: 9 * p.inC, linear: 9 * p.inC, dx: 9 * p.outC, dw: p.batch * p.outH * p.outW }[key];
      assertClose(one[key], expected[key], tolerance(terms), `${label} plainSimd=${plainSimd}: ${key}`);
      assertSameBits(two[key], one[key], `${label} plainSimd=${plainSimd}: ${key} threads`);
    }
  }
}

test('winograd: odd and even output sizes (tile remainders), every padding, channels not multiples of 4', async () => {
  let seed = 1;
  for (const padding of ['valid', 'same', 'bottom'] as const) {
    for (const [inH, inW] of [[3, 3], [4, 7], [8, 9], [10, 10]]) {
      for (const [inC, outC] of [[1, 1], [3, 5], [13, 17], [8, 16]]) {
        await checkWinograd(conv3x3(1 + (seed % 3), inH, inW, inC, outC, padding), 10 * seed++);
      }
    }
  }
});

test('winograd: seed CNN shapes, several work units split across threads', async () => {
  // M1 conv2 and M3 conv2 at small batches: 36 and 225 tiles per image.
  await checkWinograd(conv3x3(5, 13, 13, 32, 64, 'valid'), 900);
  await checkWinograd(conv3x3(2, 32, 32, 32, 32, 'valid'), 901);
  await checkWinograd(conv3x3(3, 16, 16, 32, 64, 'same'), 902);
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
});

test('winograd: the engine\'s conv2d, conv2dGradInput, conv2dGradFilter and conv2dBackward on shapes it routes to Winograd', async () => {
  let seed = 950;
  // Batches of 168 and 140 tiles: past MIN_TILES, and over a million flops, so two threads split the work.
  for (const p of [conv3x3(4, 15, 13, 17, 20, 'valid'), conv3x3(7, 10, 7, 32, 16, 'same')]) {
    const label = `engine ${JSON.stringify(p)}`;
    assert.ok(winogradPays(p, true) && winogradPays(winogradGradInput(p)!, true, p.outH * p.outW), `${label}: not routed`);
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
    await onAllEngines(run, (ref, one, two) => {
      for (const key of ['y', 'dx', 'gx', 'dw', 'gw'] as const) {
        const terms = key === 'dw' || key === 'gw' ? p.batch * p.outH * p.outW : 9 * Math.max(p.inC, p.outC);
        assertClose(one[key], ref[key], tolerance(terms), `${label}: ${key}`);
        assertSameBits(two[key], one[key], `${label}: ${key} threads`);
      }
    });
  }
});
