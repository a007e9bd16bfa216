import assert from 'node:assert/strict';
import test from 'node:test';
import type { Conv2DParams, FusedActivation, Kernels } from '../kernels.js';
import { assertClose, assertSameBits, dot, magnitude } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';

/** 'same' as Keras computes it (the odd pixel at the bottom/right); 'bottom': no top pad, one extra bottom row. */
type Padding = 'valid' | 'same' | 'bottom';

/** Output size and leading pad of one spatial axis. */
function axis(size: number, kernel: number, stride: number, dilation: number, padding: Padding): [number, number] {
  const span = dilation * (kernel - 1) + 1;
  if (padding === 'valid') return [Math.floor((size - span) / stride) + 1, 0];
  if (padding === 'bottom') return [Math.floor((size + 1 - span) / stride) + 1, 0];
  const out = Math.ceil(size / stride);
  return [out, Math.floor(Math.max((out - 1) * stride + span - size, 0) / 2)];
}

interface Shape {
  batch: number; inH: number; inW: number; inC: number; outC: number; kH: number; kW: number;
  stride?: number; dilation?: number; padding?: Padding;
}

function conv(s: Shape): Conv2DParams {
  const { stride = 1, dilation = 1, padding = 'valid' } = s;
  const [outH, padTop] = axis(s.inH, s.kH, stride, dilation, padding);
  const [outW, padLeft] = axis(s.inW, s.kW, stride, dilation, padding);
  return {
    batch: s.batch, inH: s.inH, inW: s.inW, inC: s.inC, outH, outW, outC: s.outC, kH: s.kH, kW: s.kW,
    strideH: stride, strideW: stride, dilationH: dilation, dilationW: dilation, padTop, padLeft,
  };
}

const sizes = (p: Conv2DParams) => ({
  x: p.batch * p.inH * p.inW * p.inC, w: p.kH * p.kW * p.inC * p.outC, y: p.batch * p.outH * p.outW * p.outC,
});

/**
 * All three kernels on every engine: WASM close to the reference, 1 and 2 threads bit-identical,
 * and on each engine the adjoint identities <conv(x, w), dy> = <x, dx> = <w, dw> (in float64).
 */
interface Results {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
  /** conv2dBackward's gradients, through the activation. */
  gx: Float32Array;
  gw: Float32Array;
  gb: Float32Array;
}

/** With `plainSimd`, the WASM engines are the plain-SIMD build (multiply then add, no FMA). */
async function checkConv(
  p: Conv2DParams, seed: number, activation: FusedActivation = 'linear', withBias = false, plainSimd = false,
): Promise<void> {
  const label = `conv ${JSON.stringify(p)} ${activation}${withBias ? ' +bias' : ''}`;
  const n = sizes(p);
  const x = randomF32(n.x, seed);
  const w = randomF32(n.w, seed + 1);
  const dy = randomF32(n.y, seed + 2);
  const bias = withBias ? randomF32(p.outC, seed + 3) : null;
  const run = (k: Kernels): Results => {
    // NaN-filled outputs: every element must be written.
    const y = new Float32Array(n.y).fill(NaN);
    const linear = new Float32Array(n.y).fill(NaN);
    const dx = new Float32Array(n.x).fill(NaN);
    const dw = new Float32Array(n.w).fill(NaN);
    k.conv2d(x, w, bias, y, p, activation);
    k.conv2d(x, w, null, linear, p, 'linear');
    k.conv2dGradInput(dy, w, dx, p);
    k.conv2dGradFilter(x, dy, dw, p);
    const inner = dot(linear, dy);
    const scale = magnitude(linear, dy) + 1e-30;
    assert.ok(Math.abs(dot(x, dx) - inner) <= 1e-5 * scale, `${label} on ${k.name}: <x, dx> != <conv(x), dy>`);
    assert.ok(Math.abs(dot(w, dw) - inner) <= 1e-5 * scale, `${label} on ${k.name}: <w, dw> != <conv(x), dy>`);
    const gx = new Float32Array(n.x).fill(NaN);
    const gw = new Float32Array(n.w).fill(NaN);
    const gb = new Float32Array(p.outC).fill(NaN);
    k.conv2dBackward(x, w, y, dy, { dx: gx, dw: gw, db: gb }, p, activation);
    // Skipping dx (a model's first layer, where few-row filters make g in the filter kernel)
    // changes nothing in dw and db, nor does skipping db too.
    const firstDw = new Float32Array(n.w).fill(NaN);
    const firstDb = new Float32Array(p.outC).fill(NaN);
    k.conv2dBackward(x, w, y, dy, { dx: null, dw: firstDw, db: firstDb }, p, activation);
    assertSameBits(firstDw, gw, `${label} on ${k.name}: dw without dx`);
    assertSameBits(firstDb, gb, `${label} on ${k.name}: db without dx`);
    const alone = new Float32Array(n.w).fill(NaN);
    k.conv2dBackward(x, w, y, dy, { dx: null, dw: alone, db: null }, p, activation);
    assertSameBits(alone, gw, `${label} on ${k.name}: dw alone`);
    return { y, dx, dw, gx, gw, gb };
  };
  const terms = p.kH * p.kW * Math.max(p.inC, p.outC) + p.batch * p.outH * p.outW;
  const tol = { atol: 2e-7 * terms, rtol: 1e-4 };
  const check = (ref: Results, one: Results, two: Results) => {
    for (const key of ['y', 'dx', 'dw', 'gx', 'gw', 'gb'] as const) {
      assertClose(one[key], ref[key], tol, `${label}: ${key}`);
      assertSameBits(two[key], one[key], `${label}: ${key} threads`);
    }
  };
  if (!plainSimd) return onAllEngines(run, check);
  check(run(reference), run(await wasmEngine(1, true)), run(await wasmEngine(2, true)));
}

test('conv reference: hand-computed 3x3 input, 2x2 kernel', () => {
  const p = conv({ batch: 1, inH: 3, inW: 3, inC: 1, outC: 1, kH: 2, kW: 2 });
  const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const w = new Float32Array([1, 2, 3, -4]);
  const y = new Float32Array(4);
  reference.conv2d(x, w, new Float32Array([1]), y, p, 'linear');
  // 1*1 + 2*2 + 4*3 - 5*4 + 1 = -2, and so on along the windows.
  assert.deepEqual([...y], [-2, 0, 4, 6]);
  reference.conv2d(x, w, new Float32Array([1]), y, p, 'relu');
  assert.deepEqual([...y], [0, 0, 4, 6]);
  const ones = new Float32Array([1, 1, 1, 1]);
  const dx = new Float32Array(9);
  reference.conv2dGradInput(ones, w, dx, p);
  // Each input pixel collects the kernel cells whose windows cover it.
  assert.deepEqual([...dx], [1, 3, 2, 4, 2, -2, 3, -1, -4]);
  const dw = new Float32Array(4);
  reference.conv2dGradFilter(x, ones, dw, p);
  assert.deepEqual([...dw], [12, 16, 24, 28]);
});

test('conv reference: padding reads zeros, stride and dilation pick the taps', () => {
  // 'same' 3x3 on a 2x2 image of ones: every output sees the whole image.
  const same = conv({ batch: 1, inH: 2, inW: 2, inC: 1, outC: 1, kH: 3, kW: 3, padding: 'same' });
  assert.deepEqual([same.outH, same.outW, same.padTop, same.padLeft], [2, 2, 1, 1]);
  const y = new Float32Array(4);
  reference.conv2d(new Float32Array(4).fill(1), new Float32Array(9).fill(1), null, y, same, 'linear');
  assert.deepEqual([...y], [4, 4, 4, 4]);
  // Stride 2, dilation 2, 1x5 row: taps 0 and 2, then 2 and 4.
  const strided = conv({ batch: 1, inH: 1, inW: 5, inC: 1, outC: 1, kH: 1, kW: 2, stride: 2, dilation: 2 });
  const out = new Float32Array(2);
  reference.conv2d(new Float32Array([1, 2, 3, 4, 5]), new Float32Array([10, 1]), null, out, strided, 'linear');
  assert.deepEqual([...out], [13, 35]);
});

test('conv: every stride, dilation and padding on small shapes', async () => {
  const kernels: [number, number][] = [[1, 1], [3, 3], [5, 5], [2, 3]];
  const channels = [1, 3, 5];
  let seed = 1;
  for (const stride of [1, 2, 3]) {
    for (const dilation of [1, 2]) {
      for (const padding of ['valid', 'same', 'bottom'] as const) {
        const [kH, kW] = kernels[seed % kernels.length];
        const shape = {
          batch: 1 + (seed % 2), inH: 9 + (seed % 3), inW: 10, inC: channels[seed % 3], outC: channels[(seed + 1) % 3],
          kH, kW, stride, dilation, padding,
        };
        await checkConv(conv(shape), 10 * seed, seed % 2 ? 'relu' : 'linear', seed % 3 !== 0);
        seed++;
      }
    }
  }
});

test('conv: kernel sizes and channel counts', async () => {
  let seed = 500;
  for (const [kH, kW] of [[1, 1], [3, 3], [5, 5], [2, 3]]) {
    for (const [inC, outC] of [[1, 1], [3, 5], [5, 3], [8, 13]]) {
      await checkConv(conv({ batch: 1, inH: 7, inW: 6, inC, outC, kH, kW, padding: 'same' }), seed++, 'relu', true);
    }
  }
});

test('conv: few input channels (the direct filter gradient), every stride and padding, several pixel chunks', async () => {
  let seed = 700;
  for (const inC of [1, 3]) {
    for (const stride of [1, 2]) {
      for (const padding of ['valid', 'same', 'bottom'] as const) {
        // 21×17 output pixels at stride 1: three of conv_grad_filter_direct's 128-pixel chunks.
        const shape = { batch: 3, inH: 23, inW: 19, inC, outC: 20, kH: 3, kW: 3, stride, dilation: 1 + (seed % 2), padding };
        await checkConv(conv(shape), seed++, 'relu', true);
      }
    }
  }
});

test('conv: seed CNN shapes, split across threads', async () => {
  await checkConv(conv({ batch: 8, inH: 13, inW: 13, inC: 32, outC: 64, kH: 3, kW: 3 }), 900, 'relu', true);
  await checkConv(conv({ batch: 4, inH: 28, inW: 28, inC: 1, outC: 32, kH: 3, kW: 3 }), 901, 'relu', true);
  await checkConv(conv({ batch: 3, inH: 32, inW: 32, inC: 3, outC: 32, kH: 3, kW: 3, padding: 'same' }), 903, 'relu', true);
  await checkConv(conv({ batch: 3, inH: 16, inW: 16, inC: 32, outC: 64, kH: 3, kW: 3, stride: 2, padding: 'same' }), 902);
  // About 90 KB of x and dy per image: the filter gradient sums two units of five images, then the one left.
  await checkConv(conv({ batch: 11, inH: 24, inW: 24, inC: 32, outC: 8, kH: 3, kW: 3 }), 904, 'relu', true);
});

test('conv: the plain-SIMD build agrees too', async () => {
  const p = conv({ batch: 4, inH: 13, inW: 13, inC: 32, outC: 64, kH: 3, kW: 3, padding: 'same', stride: 2 });
  await checkConv(p, 950, 'relu', true, true);
  // The direct filter gradient of a few-channel input, with padding and stride.
  const few = conv({ batch: 3, inH: 12, inW: 11, inC: 3, outC: 20, kH: 3, kW: 3, padding: 'same', stride: 2 });
  await checkConv(few, 951, 'relu', true, true);
});
