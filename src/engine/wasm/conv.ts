/**
 * WASM 2-D convolution on the packed GEMM (src/engine/wasm/gemm.ts), with im2col folded into
 * the packing of the A operand so no im2col matrix is ever stored.
 */
import type { Conv2DParams, ConvKernels, F32, FusedActivation } from '../kernels.js';
import { A_IM2COL, A_IM2COL_T, A_MATRIX, runGemm, type GemmSpec } from './gemm.js';
import type { WasmRuntime } from './runtime.js';

/** The fields every convolution GEMM shares: a single product, no epilogue, geometry attached. */
function convSpec(p: Conv2DParams, s: Omit<GemmSpec, 'batch' | 'strideA' | 'strideB' | 'bias' | 'relu' | 'conv'>): GemmSpec {
  return { ...s, batch: 1, strideA: 0, strideB: 0, bias: 0, relu: false, conv: p };
}

export function convKernels(rt: WasmRuntime): ConvKernels {
  return {
    /** out = act(im2col(x) @ W + bias): M = output pixels, K = kH·kW·inC, N = outC. */
    conv2d(x: F32, w: F32, bias: F32 | null, out: F32, p: Conv2DParams, activation: FusedActivation): void {
      const pixels = p.batch * p.outH * p.outW;
      rt.call([x, w, bias], [out], ([px, pw, pbias], [po]) => runGemm(rt, {
        ...convSpec(p, {
          m: pixels, n: p.outC, k: p.kH * p.kW * p.inC, aMode: A_IM2COL, a: px, rsA: 0, csA: 0,
          b: pw, rsB: p.outC, csB: 1, c: po, ldc: p.outC,
        }),
        bias: pbias, relu: activation === 'relu',
      }));
    },

    /** dx = col2im(dy @ W^T), one image per work unit so the scattered sums never race. */
    conv2dGradInput(dy: F32, w: F32, dx: F32, p: Conv2DParams): void {
      const cols = p.kH * p.kW * p.inC;
      rt.call([dy, w], [dx], ([pdy, pw], [pdx]) => runGemm(rt, convSpec(p, {
        m: p.batch * p.outH * p.outW, n: cols, k: p.outC, aMode: A_MATRIX, a: pdy, rsA: p.outC, csA: 1,
        b: pw, rsB: 1, csB: p.outC, c: pdx, ldc: cols,
      }), { kernel: 'conv_grad_input', units: p.batch, extraScratch: (mc) => mc * cols * 4 }));
    },

    /** dW = im2col(x)^T @ dy, split over rows and columns of dW so the long pixel sum keeps its order. */
    conv2dGradFilter(x: F32, dy: F32, dw: F32, p: Conv2DParams): void {
      rt.call([x, dy], [dw], ([px, pdy], [pdw]) => runGemm(rt, convSpec(p, {
        m: p.kH * p.kW * p.inC, n: p.outC, k: p.batch * p.outH * p.outW, aMode: A_IM2COL_T, a: px, rsA: 0, csA: 0,
        b: pdy, rsB: p.outC, csB: 1, c: pdw, ldc: p.outC,
      })));
    },
  };
}
