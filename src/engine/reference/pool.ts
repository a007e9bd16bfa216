/** Reference pooling kernels over NHWC tensors. */
import type { F32, Pool2DParams, PoolKernels } from '../kernels.js';

/**
 * Calls `visit` for every output pixel with its flat index (channel 0) and the flat indices
 * (channel 0) of the input cells its window covers, row-major, padding left out.
 */
function forEachWindow(p: Pool2DParams, visit: (out: number, cells: number[]) => void): void {
  for (let n = 0; n < p.batch; n++) {
    for (let oh = 0; oh < p.outH; oh++) {
      for (let ow = 0; ow < p.outW; ow++) {
        const cells: number[] = [];
        for (let h = oh * p.strideH - p.padTop; h < oh * p.strideH - p.padTop + p.poolH; h++) {
          for (let w = ow * p.strideW - p.padLeft; w < ow * p.strideW - p.padLeft + p.poolW; w++) {
            if (h >= 0 && h < p.inH && w >= 0 && w < p.inW) cells.push(((n * p.inH + h) * p.inW + w) * p.channels);
          }
        }
        visit(((n * p.outH + oh) * p.outW + ow) * p.channels, cells);
      }
    }
  }
}

/** The window max; a later cell replaces it only when greater, so a NaN first cell stays. */
function windowMax(x: F32, cells: number[], c: number): number {
  let m = x[cells[0] + c];
  for (const cell of cells) if (x[cell + c] > m) m = x[cell + c];
  return m;
}

/** Pooling as TensorFlow defines it, cell by cell. */
export const referencePool: PoolKernels = {
  maxPool2d(x: F32, out: F32, p: Pool2DParams): void {
    forEachWindow(p, (o, cells) => {
      for (let c = 0; c < p.channels; c++) out[o + c] = windowMax(x, cells, c);
    });
  },

  maxPool2dGrad(x: F32, dy: F32, dx: F32, p: Pool2DParams): void {
    dx.fill(0);
    forEachWindow(p, (o, cells) => {
      for (let c = 0; c < p.channels; c++) {
        const m = windowMax(x, cells, c);
        const first = cells.find((cell) => x[cell + c] === m);
        if (first !== undefined) dx[first + c] += dy[o + c];
      }
    });
  },

  avgPool2d(x: F32, out: F32, p: Pool2DParams): void {
    forEachWindow(p, (o, cells) => {
      for (let c = 0; c < p.channels; c++) {
        let sum = 0;
        for (const cell of cells) sum += x[cell + c];
        out[o + c] = sum / cells.length;
      }
    });
  },

  avgPool2dGrad(dy: F32, dx: F32, p: Pool2DParams): void {
    dx.fill(0);
    forEachWindow(p, (o, cells) => {
      for (const cell of cells) {
        for (let c = 0; c < p.channels; c++) dx[cell + c] += dy[o + c] / cells.length;
      }
    });
  },
};
