import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import type { DepthwiseConv2DParams, Kernels } from '../kernels.js';
import { assertClose, assertSameBits, dot, magnitude } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';

// The shared engines' worker threads would otherwise keep the test process alive.
after(async () => {
  for (const threads of [1, 2]) (await wasmEngine(threads)).runtime.close();
});

interface Shape {
  batch: number; inH: number; inW: number; inC: number; multiplier: number; kH: number; kW: number;
  stride?: number; dilation?: number; padding?: 'valid' | 'same';
}

/** Params for Keras's 'valid' or 'same' padding (the odd extra pixel at the bottom/right). */
function depthwise(s: Shape): DepthwiseConv2DParams {
  const { stride = 1, dilation = 1, padding = 'valid' } = s;
  const axis = (size: number, k: number): [number, number] => {
    const span = dilation * (k - 1) + 1;
    if (padding === 'valid') return [Math.floor((size - span) / stride) + 1, 0];
    const out = Math.ceil(size / stride);
    return [out, Math.floor(Math.max((out - 1) * stride + span - size, 0) / 2)];
  };
  const [outH, padTop] = axis(s.inH, s.kH);
  const [outW, padLeft] = axis(s.inW, s.kW);
  return {
    batch: s.batch, inH: s.inH, inW: s.inW, inC: s.inC, depthMultiplier: s.multiplier, outH, outW, kH: s.kH, kW: s.kW,
    strideH: stride, strideW: stride, dilationH: dilation, dilationW: dilation, padTop, padLeft,
  };
}

const sizes = (p: DepthwiseConv2DParams) => ({
  x: p.batch * p.inH * p.inW * p.inC,
  w: p.kH * p.kW * p.inC * p.depthMultiplier,
  y: p.batch * p.outH * p.outW * p.inC * p.depthMultiplier,
});

/**
 * All three kernels on every engine: WASM close to the reference, 1 and 2 threads bit-identical,
 * and on each engine the adjoint identities <f(x, w), dy> = <x, dx> = <w, dw> (in float64).
 */
async function checkDepthwise(p: DepthwiseConv2DParams, seed: number): Promise<void> {
  const label = `depthwise ${JSON.stringify(p)}`;
  const n = sizes(p);
  const x = randomF32(n.x, seed);
  const w = randomF32(n.w, seed + 1);
  const dy = randomF32(n.y, seed + 2);
  const run = (k: Kernels) => {
    // NaN-filled outputs: every element must be written.
    const y = new Float32Array(n.y).fill(NaN);
    const dx = new Float32Array(n.x).fill(NaN);
    const dw = new Float32Array(n.w).fill(NaN);
    k.depthwiseConv2d(x, w, y, p);
    k.depthwiseConv2dGradInput(dy, w, dx, p);
    k.depthwiseConv2dGradFilter(x, dy, dw, p);
    const inner = dot(y, dy);
    const scale = magnitude(y, dy) + 1e-30;
    assert.ok(Math.abs(dot(x, dx) - inner) <= 1e-5 * scale, `${label} on ${k.name}: <x, dx> != <f(x), dy>`);
    assert.ok(Math.abs(dot(w, dw) - inner) <= 1e-5 * scale, `${label} on ${k.name}: <w, dw> != <f(x), dy>`);
    return { y, dx, dw };
  };
  // The longest sum: a filter-gradient element adds one term per output pixel.
  const terms = p.kH * p.kW * p.depthMultiplier + p.batch * p.outH * p.outW;
  await onAllEngines(run, (ref, one, two) => {
    for (const key of ['y', 'dx', 'dw'] as const) {
      assertClose(one[key], ref[key], { atol: 2e-7 * terms, rtol: 1e-5 }, `${label}: ${key}`);
      assertSameBits(two[key], one[key], `${label}: ${key} 2 threads vs 1`);
    }
  });
}

test('depthwise reference: hand-computed cases', () => {
  // Two channels, multiplier 2: output channel ic·2 + m is channel ic under filter m.
  const p = depthwise({ batch: 1, inH: 2, inW: 2, inC: 2, multiplier: 2, kH: 2, kW: 2 });
  const x = new Float32Array([1, 10, 2, 20, 3, 30, 4, 40]);
  const w = new Float32Array([1, 0, 1, 1, 1, 0, 1, 2, 1, 0, 1, 3, 1, -1, 1, 4]);
  const y = new Float32Array(4);
  reference.depthwiseConv2d(x, w, y, p);
  // channel 0: sum of x = 10, and 0 - 4 = -4; channel 1: 100, and 10 + 40 + 90 + 160 = 300.
  assert.deepEqual([...y], [10, -4, 100, 300]);
  const dx = new Float32Array(8);
  reference.depthwiseConv2dGradInput(new Float32Array([1, 1, 1, 1]), w, dx, p);
  assert.deepEqual([...dx], [1, 2, 1, 3, 1, 4, 0, 5]);
  const dw = new Float32Array(16);
  reference.depthwiseConv2dGradFilter(x, new Float32Array([1, 2, 3, 4]), dw, p);
  assert.deepEqual([...dw], [1, 2, 30, 40, 2, 4, 60, 80, 3, 6, 90, 120, 4, 8, 120, 160]);
});

test('depthwise: strides, dilation, padding and multipliers on odd sizes', async () => {
  let seed = 1;
  for (const stride of [1, 2]) {
    for (const padding of ['valid', 'same'] as const) {
      for (const multiplier of [1, 2]) {
        for (const [kH, kW, dilation] of [[3, 3, 1], [2, 3, 1], [3, 3, 2], [1, 1, 1]]) {
          const shape = {
            batch: 1 + (seed % 2), inH: 7 + (seed % 3), inW: 9, inC: [1, 3, 5, 8][seed % 4], multiplier,
            kH, kW, stride, dilation, padding,
          };
          await checkDepthwise(depthwise(shape), 10 * seed++);
        }
      }
    }
  }
});

test('depthwise: MobileNetV2 shapes, split across threads', async () => {
  await checkDepthwise(depthwise({ batch: 4, inH: 28, inW: 28, inC: 96, multiplier: 1, kH: 3, kW: 3, padding: 'same' }), 900);
  await checkDepthwise(depthwise({ batch: 3, inH: 29, inW: 29, inC: 37, multiplier: 2, kH: 3, kW: 3, stride: 2 }), 901);
  await checkDepthwise(depthwise({ batch: 1, inH: 15, inW: 15, inC: 144, multiplier: 1, kH: 3, kW: 3, padding: 'same' }), 902);
});
