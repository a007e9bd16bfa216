/** Reference 2-D convolution (NHWC input, HWIO kernel): direct loops, accumulated in float64. */
import type { Conv2DParams, ConvGrads, ConvKernels, F32, FusedActivation } from '../kernels.js';
import { forEachWindowTap } from './windows.js';

/**
 * Calls `tap(xAt, yAt, wAt)` for every (image, output pixel, kernel cell) whose input pixel lies
 * inside the image (padding contributes zeros): the flat offsets of x[b, ih, iw, 0],
 * y[b, oh, ow, 0] and w[kh, kw, 0, 0]. All three kernels are sums over these taps.
 */
function forEachTap(p: Conv2DParams, tap: (xAt: number, yAt: number, wAt: number) => void): void {
  forEachWindowTap(p, (b, oh, ow, kh, kw, ih, iw) => tap(((b * p.inH + ih) * p.inW + iw) * p.inC,
    ((b * p.outH + oh) * p.outW + ow) * p.outC, (kh * p.kW + kw) * p.inC * p.outC));
}

export const referenceConv: ConvKernels = {
  /** out = act(conv(x, w) + bias). */
  conv2d(x: F32, w: F32, bias: F32 | null, out: F32, p: Conv2DParams, activation: FusedActivation): void {
    const acc = new Float64Array(out.length);
    forEachTap(p, (xAt, yAt, wAt) => {
      for (let ic = 0; ic < p.inC; ic++) {
        for (let oc = 0; oc < p.outC; oc++) acc[yAt + oc] += x[xAt + ic] * w[wAt + ic * p.outC + oc];
      }
    });
    for (let i = 0; i < out.length; i++) {
      const v = acc[i] + (bias ? bias[i % p.outC] : 0);
      out[i] = activation === 'relu' ? Math.max(v, 0) : v;
    }
  },

  /** dx[b, ih, iw, ic] = sum of dy[b, oh, ow, oc] * w[kh, kw, ic, oc] over the taps reading it. */
  conv2dGradInput(dy: F32, w: F32, dx: F32, p: Conv2DParams): void {
    const acc = new Float64Array(dx.length);
    forEachTap(p, (xAt, yAt, wAt) => {
      for (let ic = 0; ic < p.inC; ic++) {
        for (let oc = 0; oc < p.outC; oc++) acc[xAt + ic] += dy[yAt + oc] * w[wAt + ic * p.outC + oc];
      }
    });
    dx.set(acc);
  },

  /** dw[kh, kw, ic, oc] = sum of x[b, ih, iw, ic] * dy[b, oh, ow, oc] over the taps using it. */
  conv2dGradFilter(x: F32, dy: F32, dw: F32, p: Conv2DParams): void {
    const acc = new Float64Array(dw.length);
    forEachTap(p, (xAt, yAt, wAt) => {
      for (let ic = 0; ic < p.inC; ic++) {
        for (let oc = 0; oc < p.outC; oc++) acc[wAt + ic * p.outC + oc] += x[xAt + ic] * dy[yAt + oc];
      }
    });
    dw.set(acc);
  },

  /** The three gradients of act(conv(x, w) + bias) from the masked dy, by the kernels above. */
  conv2dBackward(x: F32, w: F32, y: F32, dy: F32, grads: ConvGrads, p: Conv2DParams, activation: FusedActivation): void {
    const g = activation === 'relu' ? dy.map((d, i) => (y[i] > 0 ? d : 0)) : dy;
    if (grads.dx) referenceConv.conv2dGradInput(g, w, grads.dx, p);
    if (grads.dw) referenceConv.conv2dGradFilter(x, g, grads.dw, p);
    if (grads.db) {
      const acc = new Float64Array(p.outC);
      for (let i = 0; i < g.length; i++) acc[i % p.outC] += g[i];
      grads.db.set(acc);
    }
  },
};
