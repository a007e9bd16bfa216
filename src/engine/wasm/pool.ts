/** WASM pooling kernels (assembly/pool.ts). */
import type { F32, Pool2DParams, PoolKernels } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

/** The geometry arguments every pool kernel takes after its pointers. */
function geometry(p: Pool2DParams): number[] {
  return [p.inH, p.inW, p.channels, p.outH, p.outW, p.poolH, p.poolW, p.strideH, p.strideW, p.padTop, p.padLeft];
}

/** One visit of every (output cell, window cell) pair, per channel. */
function windowWork(p: Pool2DParams): number {
  return p.batch * p.outH * p.outW * p.channels * p.poolH * p.poolW;
}

/** The pooling kernels on `rt`: forward passes split over output rows, gradients as described in assembly/pool.ts. */
export function poolKernels(rt: WasmRuntime): PoolKernels {
  const forward = (mean: boolean, x: F32, out: F32, p: Pool2DParams): void => {
    rt.call([x], [out], ([px], [po]) => {
      rt.parallel('pool2dForward', p.batch * p.outH, [mean ? 1 : 0, px, po, ...geometry(p)], windowWork(p));
    });
  };
  return {
    maxPool2d(x, out, p) {
      forward(false, x, out, p);
    },
    avgPool2d(x, out, p) {
      forward(true, x, out, p);
    },
    maxPool2dGrad(x, dy, dx, p) {
      const tiled = p.strideH === p.poolH && p.strideW === p.poolW && p.padTop === 0 && p.padLeft === 0;
      rt.call([x, dy], [dx], ([px, pdy], [pdx]) => {
        const windowMax = rt.alloc(p.channels * 4 * rt.threads);
        // a second pass over each window routes the gradient
        if (tiled) {
          const shape = [p.inH, p.inW, p.channels, p.outH, p.outW, p.poolH, p.poolW]; // strides = pool, no padding
          rt.parallel('maxPool2dGradTiled', p.batch, [px, pdy, pdx, windowMax, ...shape], 2 * windowWork(p));
        }
        else rt.parallel('maxPool2dGrad', p.batch, [px, pdy, pdx, windowMax, ...geometry(p)], 2 * windowWork(p));
      });
    },
    avgPool2dGrad(dy, dx, p) {
      rt.call([dy], [dx], ([pdy], [pdx]) => {
        rt.parallel('avgPool2dGrad', p.batch * p.inH, [pdy, pdx, ...geometry(p)], windowWork(p));
      });
    },
  };
}
