/** The sliding-window walk the reference convolutions share. */
import type { Conv2DParams } from '../kernels.js';

/** What a window walk needs of a convolution's parameters (depthwise ones have the same fields). */
export type WindowGeometry = Pick<Conv2DParams,
  'batch' | 'inH' | 'inW' | 'outH' | 'outW' | 'kH' | 'kW' | 'strideH' | 'strideW' | 'dilationH' | 'dilationW' | 'padTop' | 'padLeft'>;

/**
 * Calls `visit(b, oh, ow, kh, kw, ih, iw)` for every (image, output pixel, kernel cell) whose
 * input pixel (ih, iw) lies inside the image: padding contributes zeros, so it is skipped.
 */
export function forEachWindowTap(p: WindowGeometry,
  visit: (b: number, oh: number, ow: number, kh: number, kw: number, ih: number, iw: number) => void): void {
  for (let b = 0; b < p.batch; b++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        for (let kh = 0; kh < p.kH; kh++) {
          const ih = oh * p.strideH + kh * p.dilationH - p.padTop;
          if (ih < 0 || ih >= p.inH) continue;
          for (let kw = 0; kw < p.kW; kw++) {
            const iw = ow * p.strideW + kw * p.dilationW - p.padLeft;
            if (iw >= 0 && iw < p.inW) visit(b, oh, ow, kh, kw, ih, iw);
          }
        }
      }
    }
  }
}
