/** Reference depthwise 2-D convolution (NHWC input, kH×kW×inC×multiplier kernel): direct loops, accumulated in float64. */
import type { DepthwiseConv2DParams, DepthwiseConvKernels, F32 } from '../kernels.js';
import { forEachWindowTap } from './windows.js';

/**
 * Calls `tap(xAt, yAt, wAt)` for every (image, output pixel, kernel cell, output channel c)
 * whose input pixel lies inside the image (padding contributes zeros), with the flat offsets of
 * x[b, ih, iw, c / multiplier], y[b, oh, ow, c] and w[kh, kw, c / multiplier, c % multiplier]
 * (the kernel's flat layout puts that weight at cell · outC + c). All three kernels are sums over
 * these taps.
 */
function forEachTap(p: DepthwiseConv2DParams, tap: (xAt: number, yAt: number, wAt: number) => void): void {
  const outC = p.inC * p.depthMultiplier;
  forEachWindowTap(p, (b, oh, ow, kh, kw, ih, iw) => {
    for (let c = 0; c < outC; c++) {
      tap(((b * p.inH + ih) * p.inW + iw) * p.inC + Math.floor(c / p.depthMultiplier),
        ((b * p.outH + oh) * p.outW + ow) * outC + c, (kh * p.kW + kw) * outC + c);
    }
  });
}

export const referenceDepthwiseConv: DepthwiseConvKernels = {
  /** out[b, oh, ow, c] = sum of x[b, ih, iw, c / multiplier] * w[kh, kw, c / multiplier, c % multiplier]. */
  depthwiseConv2d(x: F32, w: F32, out: F32, p: DepthwiseConv2DParams): void {
    const acc = new Float64Array(out.length);
    forEachTap(p, (xAt, yAt, wAt) => { acc[yAt] += x[xAt] * w[wAt]; });
    out.set(acc);
  },

  /** dx[b, ih, iw, ic] = sum of dy * w over the taps reading it. */
  depthwiseConv2dGradInput(dy: F32, w: F32, dx: F32, p: DepthwiseConv2DParams): void {
    const acc = new Float64Array(dx.length);
    forEachTap(p, (xAt, yAt, wAt) => { acc[xAt] += dy[yAt] * w[wAt]; });
    dx.set(acc);
  },

  /** dw[kh, kw, ic, m] = sum of x * dy over the taps using it. */
  depthwiseConv2dGradFilter(x: F32, dy: F32, dw: F32, p: DepthwiseConv2DParams): void {
    const acc = new Float64Array(dw.length);
    forEachTap(p, (xAt, yAt, wAt) => { acc[wAt] += x[xAt] * dy[yAt]; });
    dw.set(acc);
  },
};
