/**
 * WASM 2-D convolution: products with im2col(x) that never store it. The forward pass reads x in
 * place through offset tables (conv_forward_direct); the gradients run on the packed GEMM
 * (src/engine/wasm/gemm.ts), im2col folded into the packing of the A operand, or directly for
 * few-row filters.
 */
import type { Conv2DParams, ConvGrads, ConvKernels, F32, FusedActivation } from '../kernels.js';
import { A_IM2COL_T, A_MATRIX, COPY_FLOPS, packB, runGemm, type GemmSpec } from './gemm.js';
import { sumPartials } from './reduction.js';
import type { WasmRuntime } from './runtime.js';
import { hwio, hwioTransposed, winogradConv, winogradGradFilter, winogradGradInput, winogradPays } from './winograd.js';

/** FILTER_NC of assembly/conv.ts: conv_grad_filter_direct reads g in blocks this many columns wide. */
const FILTER_NC = 16;
/**
 * Filter gradients with at most this many rows (kH·kW·inC) run conv_grad_filter_direct: below it
 * the GEMM spends its time packing im2col panels a few floats wide.
 */
const DIRECT_FILTER_ROWS = 32;

/** Bytes of x and dy per unit of the filter gradient's pixel sum: about what L2 keeps while dW's tiles are computed. */
const FILTER_UNIT_BYTES = 512 * 1024;

/** MR of assembly/gemm.ts, and CHUNK of assembly/conv.ts: output pixels per conv_forward_direct unit. */
const MR = 4;
const CHUNK = 64;
/** FILTER_CHUNK of assembly/conv.ts: the pixels of g that conv_grad_filter_direct makes at a time. */
const FILTER_CHUNK = 128;

/** The fields of assembly/conv.ts `ConvJob`, in its order (one i32 each). */
const DIRECT_FIELDS = [
  'a', 'b', 'ldb', 'c', 'bias', 'relu', 'dy', 'y', 'dbPartial', 'scratch', 'scratchStride', 'taps', 'windows', 'padded', 'padRows', 'padCols',
  'batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'dilationH', 'dilationW',
  'padTop', 'padLeft',
] as const;

/** What a direct kernel reads besides x and the geometry (see ConvJob); 0 for what it does not. */
type DirectOperands = Partial<Record<'b' | 'ldb' | 'c' | 'bias' | 'relu' | 'dy' | 'y' | 'dbPartial' | 'scratch' | 'scratchStride', number>>;

/** Input pixels the windows span along one axis. */
const span = (out: number, stride: number, kernel: number, dilation: number) => (out - 1) * stride + (kernel - 1) * dilation + 1;

/** The fields every convolution GEMM shares: a single product, no epilogue, geometry attached. */
function convSpec(p: Conv2DParams, s: Omit<GemmSpec, 'batch' | 'strideA' | 'strideB' | 'bias' | 'relu' | 'conv'>): GemmSpec {
  return { ...s, batch: 1, strideA: 0, strideB: 0, bias: 0, relu: false, conv: p };
}

export function convKernels(rt: WasmRuntime): ConvKernels {
  /**
   * Writes a direct-kernel job (assembly/conv.ts ConvJob) for x at px: the tap and window offset
   * tables and, when the windows reach into padding, x's padded copy (made by conv_pad).
   */
  function directJob(px: number, p: Conv2DParams, operands: DirectOperands): number {
    const taps = p.kH * p.kW * p.inC, pixels = p.outH * p.outW;
    const padRows = span(p.outH, p.strideH, p.kH, p.dilationH), padCols = span(p.outW, p.strideW, p.kW, p.dilationW);
    const inPlace = p.padTop === 0 && p.padLeft === 0 && padRows <= p.inH && padCols <= p.inW;
    const width = inPlace ? p.inW : padCols;
    // The window table repeats the last pixel up to a whole MR block.
    const windows = Math.ceil(pixels / MR) * MR;
    const tables = rt.alloc((taps + windows) * 4);
    const padded = inPlace ? 0 : rt.alloc(p.batch * padRows * padCols * p.inC * 4);
    const job = rt.alloc(DIRECT_FIELDS.length * 4);
    const offsets = rt.i32(tables, taps + windows);
    let i = 0;
    for (let kh = 0; kh < p.kH; kh++) {
      for (let kw = 0; kw < p.kW; kw++) {
        for (let ic = 0; ic < p.inC; ic++) offsets[i++] = ((kh * p.dilationH * width + kw * p.dilationW) * p.inC + ic) * 4;
      }
    }
    for (let m = 0; m < windows; m++) {
      const q = Math.min(m, pixels - 1);
      offsets[i++] = (Math.floor(q / p.outW) * p.strideH * width + (q % p.outW) * p.strideW) * p.inC * 4;
    }
    const values: Record<(typeof DIRECT_FIELDS)[number], number> = {
      ...p, b: 0, ldb: 0, c: 0, bias: 0, relu: 0, dy: 0, y: 0, dbPartial: 0, scratch: 0, scratchStride: 0, ...operands, a: px, taps: tables, windows: tables + taps * 4, padded, padRows, padCols,
    };
    rt.i32(job, DIRECT_FIELDS.length).set(DIRECT_FIELDS.map((f) => values[f]));
    if (padded) rt.parallel('conv_pad', p.batch, [job], COPY_FLOPS * p.batch * padRows * padCols * p.inC);
    return job;
  }

  /**
   * out[r, c] (rows × cols, at engine address `out`) = the sum over units u, in order, of
   * partial[(u * rows + r) * ld + c]: the partial sums of the kernels split by image. The SIMD
   * kernel sum_partials adds them in a tenth of a plain-JS loop's time (0.2 ms of M3 conv3's 4 ms
   * filter gradient, 6 partials); with rows padded (ld > cols) it adds into the first unit's
   * block, and the rows are copied out without their padding.
   */
  function sumRows(partial: number, units: number, rows: number, cols: number, ld: number, out: number): void {
    const size = rows * ld, padded = ld > cols;
    sumPartials(rt, partial, units, size, padded ? partial : out);
    if (!padded) return;
    const sums = rt.f32(partial, size), dst = rt.f32(out, rows * cols);
    for (let r = 0; r < rows; r++) dst.set(sums.subarray(r * ld, r * ld + cols), r * cols);
  }

  /** out = act(im2col(x) @ W + bias) by conv_forward_direct: W packed, im2col(x) read in place. */
  function forwardDirect(px: number, pw: number, pbias: number, po: number, p: Conv2DParams, relu: boolean): void {
    const taps = p.kH * p.kW * p.inC;
    const b = packB(rt, { batch: 1, k: taps, n: p.outC, b: pw, rsB: p.outC, csB: 1, strideB: 0 });
    const job = directJob(px, p, { b, c: po, bias: pbias, relu: relu ? 1 : 0 });
    const units = p.batch * Math.ceil((p.outH * p.outW) / CHUNK);
    rt.parallel('conv_forward_direct', units, [job], 2 * p.batch * p.outH * p.outW * taps * p.outC);
  }

  /** dx = col2im(dy @ W^T), dy's rows `ldy` floats apart; one image per work unit so the scattered sums never race. */
  function gradInput(pdy: number, ldy: number, pw: number, pdx: number, p: Conv2DParams): void {
    const transposed = winogradGradInput(p);
    if (transposed && winogradPays(transposed, rt.relaxed, p.outH * p.outW)) return winogradConv(rt, pdy, ldy, hwioTransposed(pw, p), 0, false, pdx, transposed);
    const cols = p.kH * p.kW * p.inC;
    runGemm(rt, convSpec(p, {
      m: p.batch * p.outH * p.outW, n: cols, k: p.outC, aMode: A_MATRIX, a: pdy, rsA: ldy, csA: 1,
      b: pw, rsB: 1, csB: p.outC, c: pdx, ldc: cols,
    }), { kernel: 'conv_grad_input', units: p.batch, extraScratch: (mc) => mc * cols * 4 });
  }

  /**
   * dW = im2col(x)^T @ dy, dy's rows `ldy` floats apart. The pixel sum is cut at fixed image
   * boundaries into units whose x and dy fit FILTER_UNIT_BYTES (one batched GEMM, with any
   * images left over in a second), and the units' partial dW are added in order: each unit's
   * operands are read from memory once, where one long sum would read them again for every tile
   * of dW, and the cuts do not depend on the thread count.
   */
  function gradFilter(px: number, pdy: number, ldy: number, pdw: number, p: Conv2DParams): void {
    if (winogradPays(p, rt.relaxed)) return winogradGradFilter(rt, px, pdy, ldy, pdw, p);
    const m = p.kH * p.kW * p.inC, pixels = p.outH * p.outW, imageFloats = p.inH * p.inW * p.inC;
    const perUnit = Math.max(1, Math.floor(FILTER_UNIT_BYTES / ((imageFloats + pixels * ldy) * 4)));
    const units = Math.floor(p.batch / perUnit), rest = p.batch - units * perUnit;
    const partials = units + (rest ? 1 : 0);
    /** The product over `images` images from image `first` on, into c. */
    const spec = (images: number, first: number, c: number) => convSpec(p, {
      m, n: p.outC, k: images * pixels, aMode: A_IM2COL_T, a: px + first * imageFloats * 4, rsA: 0, csA: 0,
      b: pdy + first * pixels * ldy * 4, rsB: ldy, csB: 1, c, ldc: p.outC,
    });
    if (partials === 1) return runGemm(rt, spec(p.batch, 0, pdw));
    const size = m * p.outC;
    const partial = rt.alloc(partials * size * 4);
    if (units) runGemm(rt, { ...spec(perUnit, 0, partial), batch: units, strideB: perUnit * pixels * ldy });
    if (rest) runGemm(rt, spec(rest, units * perUnit, partial + units * size * 4));
    sumRows(partial, partials, m, p.outC, p.outC, pdw);
  }

  /**
   * dW of a few-row filter by conv_grad_filter_direct: per-image partials, summed in order. g is
   * `g.b` in rows of g.ldb floats or, when g.dy is given, made by the kernel from dy and y (0 for
   * no mask) along with the per-image bias-gradient sums at g.dbPartial (0 for none).
   */
  function gradFilterDirect(px: number, g: Required<Pick<DirectOperands, 'b' | 'ldb' | 'dy' | 'y' | 'dbPartial'>>, pdw: number, p: Conv2DParams): void {
    const rows = p.kH * p.kW * p.inC;
    const partial = rt.alloc(p.batch * rows * g.ldb * 4);
    const scratchStride = g.dy ? Math.ceil((FILTER_CHUNK * g.ldb * 4) / 64) * 64 : 0;
    const scratch = g.dy ? rt.alloc(scratchStride * rt.threads) : 0;
    const job = directJob(px, p, { ...g, c: partial, scratch, scratchStride });
    rt.parallel('conv_grad_filter_direct', p.batch, [job], 2 * p.batch * p.outH * p.outW * rows * g.ldb);
    sumRows(partial, p.batch, rows, p.outC, g.ldb, pdw);
  }

  return {
    /** out = act(im2col(x) @ W + bias): M = output pixels, K = kH·kW·inC, N = outC. */
    conv2d(x: F32, w: F32, bias: F32 | null, out: F32, p: Conv2DParams, activation: FusedActivation): void {
      rt.call([x, w, bias], [out], ([px, pw, pbias], [po]) => {
        const relu = activation === 'relu';
        if (winogradPays(p, rt.relaxed)) winogradConv(rt, px, p.inC, hwio(pw, p), pbias, relu, po, p);
        else forwardDirect(px, pw, pbias, po, p, relu);
      });
    },

    /** dx = col2im(dy @ W^T). */
    conv2dGradInput(dy: F32, w: F32, dx: F32, p: Conv2DParams): void {
      rt.call([dy, w], [dx], ([pdy, pw], [pdx]) => gradInput(pdy, p.outC, pw, pdx, p));
    },

    /** dW = im2col(x)^T @ dy. */
    conv2dGradFilter(x: F32, dy: F32, dw: F32, p: Conv2DParams): void {
      rt.call([x, dy], [dw], ([px, pdy], [pdw]) => gradFilter(px, pdy, p.outC, pdw, p));
    },

    /**
     * One pass (conv_grad_output) masks dy by y > 0 into g, in rows padded to FILTER_NC floats,
     * and sums each image's g for db; dx and dW then read g in engine memory, dW by
     * conv_grad_filter_direct when the filter has few rows. Without dx (a model's first layer)
     * and with few rows, conv_grad_filter_direct makes g and db itself, chunk by chunk. Nothing
     * but the operands and the three gradients crosses between JS and the engine.
     */
    conv2dBackward(x: F32, w: F32, y: F32, dy: F32, grads: ConvGrads, p: Conv2DParams, activation: FusedActivation): void {
      const { dx, dw, db } = grads;
      const relu = activation === 'relu';
      rt.call([dw ? x : null, dx ? w : null, relu ? y : null, dy], [dx, dw, db], ([px, pw, py, pdy], [pdx, pdw, pdb]) => {
        const pixels = p.outH * p.outW;
        const ldg = Math.ceil(p.outC / FILTER_NC) * FILTER_NC;
        const dbPartial = db ? rt.alloc(p.batch * ldg * 4) : 0;
        const direct = p.kH * p.kW * p.inC <= DIRECT_FILTER_ROWS;
        if (dw && direct && !dx) {
          gradFilterDirect(px, { b: 0, ldb: ldg, dy: pdy, y: py, dbPartial }, pdw, p);
        } else {
          const pg = rt.alloc(p.batch * pixels * ldg * 4);
          rt.parallel('conv_grad_output', p.batch, [pdy, py, pg, dbPartial, pixels, p.outC, ldg], COPY_FLOPS * dy.length);
          if (dx) gradInput(pg, ldg, pw, pdx, p);
          if (dw && direct) gradFilterDirect(px, { b: pg, ldb: ldg, dy: 0, y: 0, dbPartial: 0 }, pdw, p);
          else if (dw) gradFilter(px, pg, ldg, pdw, p);
        }
        if (db) sumRows(dbPartial, p.batch, 1, p.outC, ldg, pdb);
      });
    },
  };
}
