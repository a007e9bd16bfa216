/** WASM depthwise 2-D convolution (assembly/depthwise_conv.ts). */
import type { DepthwiseConv2DParams, DepthwiseConvKernels, F32 } from '../kernels.js';
import { sumPartials } from './reduction.js';
import type { WasmRuntime } from './runtime.js';

/** The geometry arguments every depthwise kernel takes after its pointers. */
function geometry(p: DepthwiseConv2DParams): number[] {
  return [
    p.inH, p.inW, p.inC, p.depthMultiplier, p.outH, p.outW, p.kH, p.kW,
    p.strideH, p.strideW, p.dilationH, p.dilationW, p.padTop, p.padLeft,
  ];
}

/** Multiply-adds of one pass: every (output element, kernel cell) pair. */
function flops(p: DepthwiseConv2DParams): number {
  return 2 * p.batch * p.outH * p.outW * p.inC * p.depthMultiplier * p.kH * p.kW;
}

/**
 * The depthwise kernels on `rt`. Each thread owns whole output rows (forward), input rows (input
 * gradient) or images (filter gradient, whose per-image partials are then added in image order).
 */
export function depthwiseConvKernels(rt: WasmRuntime): DepthwiseConvKernels {
  return {
    depthwiseConv2d(x: F32, w: F32, out: F32, p: DepthwiseConv2DParams): void {
      rt.call([x, w], [out], ([px, pw], [po]) => {
        rt.parallel('depthwise_conv2d', p.batch * p.outH, [px, pw, po, ...geometry(p)], flops(p));
      });
    },

    depthwiseConv2dGradInput(dy: F32, w: F32, dx: F32, p: DepthwiseConv2DParams): void {
      rt.call([dy, w], [dx], ([pdy, pw], [pdx]) => {
        const scratch = rt.alloc(p.inC * p.depthMultiplier * 4 * rt.threads);
        rt.parallel('depthwise_conv2d_grad_input', p.batch * p.inH, [pdy, pw, pdx, scratch, ...geometry(p)], flops(p));
      });
    },

    depthwiseConv2dGradFilter(x: F32, dy: F32, dw: F32, p: DepthwiseConv2DParams): void {
      rt.call([x, dy], [dw], ([px, pdy], [pdw]) => {
        const partial = rt.alloc(p.batch * dw.length * 4);
        rt.parallel('depthwise_conv2d_grad_filter', p.batch, [px, pdy, partial, ...geometry(p)], flops(p));
        sumPartials(rt, partial, p.batch, dw.length, pdw);
      });
    },
  };
}
