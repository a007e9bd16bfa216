// Kernel family 'conv': see src/engine/kernels.ts for the contract.
//
// Convolutions are products with im2col(x), which is never stored: row m of im2col(x) is output
// pixel m = (b, oh, ow) and column l = (kh, kw, ic) is
// x[b, oh * strideH + kh * dilationH - padTop, ow * strideW + kw * dilationW - padLeft, ic], zero
// in the padding. Forward: out = im2col(x) @ W, read in place (conv_forward_direct); filter
// gradient: dW = im2col(x)^T @ dy on the GEMM machinery of gemm.ts, im2col folded into the
// packing of its A operand (A_IM2COL_T), or directly for few rows (conv_grad_filter_direct);
// input gradient: col2im(dy @ W^T) (conv_grad_input).
// `Gemm`, the job layout, is @global in gemm.ts: as an export it would draw a compiler warning
// (index.ts re-exports everything, and a class cannot be a module export).
import { gemmTile, KC, MR, NR, ZEROS } from './gemm';
import { storeTile } from './tile';
import { fma } from './simd';

/**
 * A job of the direct kernels (conv_forward_direct, conv_grad_filter_direct, conv_pad), written
 * by src/engine/wasm/conv.ts (DIRECT_FIELDS, same order). The input is `a` and the geometry
 * fields carry Gemm's names, so the window helpers below serve both layouts. The direct kernels
 * read x through byte-offset tables, `taps` (kernel tap r = (kh, kw, ic) from a window's start)
 * and `windows` (where output pixel m's window starts in its image), in an image `padCols`
 * pixels wide: x itself, or its copy at `padded` with the padding made real (padRows × padCols
 * pixels per image).
 */
@unmanaged class ConvJob {
  a: usize; b: usize; ldb: i32; c: usize; bias: usize; relu: i32;
  dy: usize; y: usize; dbPartial: usize; scratch: usize; scratchStride: i32;
  taps: usize; windows: usize; padded: usize; padRows: i32; padCols: i32;
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32;
  kH: i32; kW: i32; strideH: i32; strideW: i32; dilationH: i32; dilationW: i32; padTop: i32; padLeft: i32;
}

/** Address of image b of x. */
@inline function image<T>(g: T, b: i32): usize {
  return g.a + <usize>b * g.inH * g.inW * g.inC * 4;
}

/**
 * Copies im2col columns for rows [m0, m0 + len): with T = f32 column `col` alone; with T = v128
 * `groups` groups of four columns from `col` on (all in one kernel cell), group j going to
 * out + j * groupBytes. Row l goes to offset l * outStride. The window position advances
 * incrementally, and one address serves every group: no division per element.
 */
function im2colColumns<T>(
  g: Gemm, col: i32, m0: i32, len: i32, out: usize, outStride: usize, groups: i32, groupBytes: usize,
): void {
  const inH = g.inH, inW = g.inW, outH = g.outH, outW = g.outW, strideH = g.strideH, strideW = g.strideW;
  const pixelBytes = <usize>g.inC * 4;
  const cell = col / g.inC;
  const offH = (cell / g.kW) * g.dilationH - g.padTop;
  const offW = (cell % g.kW) * g.dilationW - g.padLeft;
  let ow = m0 % outW, oh = (m0 / outW) % outH;
  let ih = oh * strideH + offH, iw = ow * strideW + offW;
  let img = image(g, m0 / (outW * outH)) + <usize>(col % g.inC) * 4;
  const imageBytes = <usize>inH * inW * pixelBytes;
  for (let l = 0; l < len; l++, out += outStride) {
    const inside = (<u32>ih < <u32>inH) & (<u32>iw < <u32>inW);
    // Padding reads ZEROS: KC floats, as many as the groups can span (see packIm2colColumns).
    const src = select<usize>(img + (<usize>ih * inW + iw) * pixelBytes, ZEROS, inside);
    for (let j = 0; j < groups; j++) store<T>(out + <usize>j * groupBytes, load<T>(src + <usize>j * sizeof<T>()));
    iw += strideW;
    if (++ow == outW) {
      ow = 0;
      iw = offW;
      ih += strideH;
      if (++oh == outH) {
        oh = 0;
        ih = offH;
        img += imageBytes;
      }
    }
  }
}

/** Packs rows [i0, i0 + rows) × columns [l0, l0 + kc) of im2col(x)^T into zero-padded MR panels. */
export function packIm2colColumns(g: Gemm, i0: i32, rows: i32, l0: i32, kc: i32, dst: usize): void {
  const stride: usize = MR * 4;
  const panelBytes = <usize>kc * MR * 4;
  for (let p = 0; p < rows;) {
    const panel = dst + <usize>p * kc * 4;
    const col = i0 + p;
    // Full panels whose four columns share the kernel cell of `col` are gathered together (at
    // most KC columns: the length of ZEROS).
    const groups = min(min((rows - p) / MR, (g.inC - col % g.inC) / MR), KC / MR);
    if (groups > 0) {
      im2colColumns<v128>(g, col, l0, kc, panel, stride, groups, panelBytes);
      p += groups * MR;
      continue;
    }
    for (let i = 0; i < MR; i++) {
      if (p + i < rows) im2colColumns<f32>(g, col + i, l0, kc, panel + i * 4, stride, 1, 0);
      else for (let l = 0; l < kc; l++) store<f32>(panel + i * 4 + <usize>l * stride, 0);
    }
    p += MR;
  }
}

/** dst[0..len) += src[0..len). */
function addInto(dst: usize, src: usize, len: i32): void {
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const o = <usize>j * 4;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; j < len; j++) {
    const o = <usize>j * 4;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * Input gradient for images [start, end): the job is the GEMM dy (pixels × outC) @ W^T
 * (outC × kH·kW·inC) into dx (g.c). Each image computes `mc` pixel rows at a time into
 * per-thread scratch (after the A panels) and adds them into its own dx image (col2im) in pixel
 * order, so the sums come out in the same order for any number of threads.
 */
export function conv_grad_input(start: i32, end: i32, tid: i32, job: usize): void {
  const g = changetype<Gemm>(job);
  const pixels = g.outH * g.outW;
  const imageFloats = <usize>g.inH * g.inW * g.inC;
  const aScratch = g.scratch + <usize>tid * g.scratchStride;
  const cScratch = aScratch + <usize>g.mc * KC * 4;
  const rowBytes = <usize>g.n * 4;
  for (let b = start; b < end; b++) {
    const dx = g.c + <usize>b * imageFloats * 4;
    memory.fill(dx, 0, imageFloats * 4);
    for (let r0 = 0; r0 < pixels; r0 += g.mc) {
      const rows = min(g.mc, pixels - r0);
      gemmTile(g, 0, b * pixels + r0, rows, 0, g.n, cScratch, g.n, aScratch);
      for (let r = 0; r < rows; r++) {
        const oh = (r0 + r) / g.outW, ow = (r0 + r) % g.outW;
        const row = cScratch + <usize>r * rowBytes;
        for (let kh = 0; kh < g.kH; kh++) {
          const ih = oh * g.strideH + kh * g.dilationH - g.padTop;
          if (<u32>ih >= <u32>g.inH) continue;
          for (let kw = 0; kw < g.kW; kw++) {
            const iw = ow * g.strideW + kw * g.dilationW - g.padLeft;
            if (<u32>iw >= <u32>g.inW) continue;
            addInto(dx + (<usize>ih * g.inW + iw) * g.inC * 4, row + <usize>(kh * g.kW + kw) * g.inC * 4, g.inC);
          }
        }
      }
    }
  }
}

/**
 * The gradient at a fused conv's pre-activation for `rows` output pixels: g = dy where y > 0
 * (ReLU; all of dy when y is 0), in rows of ldg floats whose tail is zeroed
 * (conv_grad_filter_direct reads whole FILTER_NC-wide blocks), and, unless `sums` is 0, g's
 * column sums added to sums (ldg floats).
 */
function maskRows(dy: usize, y: usize, g: usize, sums: usize, rows: i32, outC: i32, ldg: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>outC * 4;
  for (let r = 0; r < rows; r++, dy += rowBytes, y += y ? rowBytes : 0, g += <usize>ldg * 4) {
    let c = 0;
    for (; c + 4 <= outC; c += 4) {
      const o = <usize>c * 4;
      let v = v128.load(dy + o);
      if (y) v = v128.and(v, f32x4.gt(v128.load(y + o), zero));
      v128.store(g + o, v);
      if (sums) v128.store(sums + o, f32x4.add(v128.load(sums + o), v));
    }
    for (; c < outC; c++) {
      const o = <usize>c * 4;
      const v = !y || load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0;
      store<f32>(g + o, v);
      if (sums) store<f32>(sums + o, load<f32>(sums + o) + v);
    }
    for (; c < ldg; c++) store<f32>(g + <usize>c * 4, 0);
  }
}

/**
 * maskRows over images [start, end), each `pixels` rows, into g; image b's column sums go to
 * dbPartial + b * ldg floats unless dbPartial is 0. No copy of the mask or of g leaves the engine.
 */
export function conv_grad_output(
  start: i32, end: i32, _tid: i32, dy: usize, y: usize, g: usize, dbPartial: usize, pixels: i32, outC: i32, ldg: i32,
): void {
  for (let b = start; b < end; b++) {
    const sums = dbPartial ? dbPartial + <usize>b * ldg * 4 : 0;
    if (sums) memory.fill(sums, 0, <usize>ldg * 4);
    const first = <usize>b * pixels;
    maskRows(dy + first * outC * 4, y ? y + first * outC * 4 : 0, g + first * ldg * 4, sums, pixels, outC, ldg);
  }
}

/**
 * Copies images [start, end) of x to j.padded with their padding made real: padRows × padCols
 * pixels each, where (0, 0) is input pixel (-padTop, -padLeft), zeros outside the image.
 */
export function conv_pad(start: i32, end: i32, _tid: i32, job: usize): void {
  const j = changetype<ConvJob>(job);
  const pixelBytes = <usize>j.inC * 4, rowBytes = <usize>j.padCols * pixelBytes;
  // The image's columns within a padded row: [left, left + width) holds input columns from 0 on.
  const left = min(j.padLeft, j.padCols), width = max(min(j.inW, j.padCols - j.padLeft), 0);
  let dst = source(j, start);
  for (let b = start; b < end; b++) {
    for (let ph = 0; ph < j.padRows; ph++, dst += rowBytes) {
      const ih = ph - j.padTop;
      if (<u32>ih >= <u32>j.inH || width == 0) {
        memory.fill(dst, 0, rowBytes);
        continue;
      }
      const inside = <usize>width * pixelBytes;
      memory.fill(dst, 0, <usize>left * pixelBytes);
      memory.copy(dst + <usize>left * pixelBytes, image(j, b) + <usize>ih * j.inW * pixelBytes, inside);
      memory.fill(dst + <usize>left * pixelBytes + inside, 0, rowBytes - <usize>left * pixelBytes - inside);
    }
  }
}

/** Image b of x as the direct kernels read it: its padded copy when there is one. */
@inline function source(j: ConvJob, b: i32): usize {
  return j.padded ? j.padded + <usize>b * j.padRows * j.padCols * j.inC * 4 : image(j, b);
}

/** Byte offset of output pixel m's window (an entry of j.windows) from its image's start. */
@inline function window(j: ConvJob, m: i32): usize {
  return <usize>load<i32>(j.windows + <usize>m * 4);
}

/** Output pixels per work unit of conv_forward_direct: several units per image, so even a small batch splits across threads. */
const CHUNK = 64;

/**
 * Forward convolution without im2col packing, for work units of CHUNK output pixels of one
 * image: out = act(im2col(x) @ W + bias) with W packed in NR-wide panels (j.b, as gemm_pack_b
 * packs B) and im2col(x) read in place through the tap and window tables. Blocks of MR pixels ×
 * NR channels are accumulated in registers over the taps in order, as gemmTile does, so the
 * bits are the GEMM path's; few-channel convolutions skip packing panels a few floats wide.
 */
export function conv_forward_direct(start: i32, end: i32, _tid: i32, job: usize): void {
  const j = changetype<ConvJob>(job);
  const pixels = j.outH * j.outW, chunks = (pixels + CHUNK - 1) / CHUNK;
  const tapsEnd = j.taps + <usize>j.kH * j.kW * j.inC * 4;
  const panelBytes = <usize>j.kH * j.kW * j.inC * NR * 4;
  const ldcBytes = <usize>j.outC * 4;
  const epilogue = j.bias != 0 || j.relu != 0;
  for (let u = start; u < end; u++) {
    const b = u / chunks, m0 = (u % chunks) * CHUNK, m1 = min(m0 + CHUNK, pixels);
    const src = source(j, b);
    const out = j.c + <usize>b * pixels * ldcBytes;
    // Each block of MR pixels runs over all the column panels while its windows are in L1 (1-9%
    // faster than a panel over all the unit's blocks, for the first layers' short tap loops).
    for (let m = m0; m < m1; m += MR) {
      // The window table repeats the last pixel past the end, so a short block reads valid memory.
      const s0 = src + window(j, m), s1 = src + window(j, m + 1), s2 = src + window(j, m + 2), s3 = src + window(j, m + 3);
      for (let n0 = 0; n0 < j.outC; n0 += NR) {
        const panel = j.b + <usize>(n0 / NR) * panelBytes;
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (let tp = j.taps, bp = panel; tp < tapsEnd; tp += 4, bp += NR * 4) {
          const off = <usize>load<i32>(tp);
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let a = v128.load32_splat(s0 + off); c00 = fma(a, b0, c00); c01 = fma(a, b1, c01);
          a = v128.load32_splat(s1 + off); c10 = fma(a, b0, c10); c11 = fma(a, b1, c11);
          a = v128.load32_splat(s2 + off); c20 = fma(a, b0, c20); c21 = fma(a, b1, c21);
          a = v128.load32_splat(s3 + off); c30 = fma(a, b0, c30); c31 = fma(a, b1, c31);
        }
        storeTile(
          out + <usize>m * ldcBytes + <usize>n0 * 4, ldcBytes, min(MR, m1 - m), min(NR, j.outC - n0),
          epilogue, j.bias ? j.bias + <usize>n0 * 4 : 0, j.relu != 0, c00, c01, c10, c11, c20, c21, c30, c31,
        );
      }
    }
  }
}

/** Columns of dW (output channels) per register block of conv_grad_filter_direct; g's rows are padded to it. */
const FILTER_NC = 16;
/** Pixels per step of conv_grad_filter_direct: a step's g (FILTER_CHUNK × ldg floats) stays in L1. */
const FILTER_CHUNK = 128;

/**
 * Filter gradient of an input with few channels (rows R = kH·kW·inC, the first layer of a CNN),
 * one image per unit: the image's dW (R × ldb) = im2col(x_b)^T @ g_b goes to j.c + b·R·ldb
 * floats, and the engine adds the images' partials in order, so no thread count changes a bit.
 * g is read at j.b in rows of ldb floats or, when j.dy is set, made here by maskRows from dy and
 * y, FILTER_CHUNK pixels at a time in per-thread scratch, with the image's bias-gradient sums at
 * j.dbPartial + b·ldb floats: no pass of its own, and g never leaves L1.
 * Blocks of 2 rows × FILTER_NC columns are accumulated in registers straight from x (broadcast)
 * and g over a chunk of pixels, and carried in dW from chunk to chunk (an exact store and reload,
 * so the sum's order is the pixels'): for so few rows the GEMM spends its time packing im2col
 * panels, not multiplying. Two broadcasts per four g vectors measured 1.7× faster than the
 * GEMM's 4×8 shape here (four broadcasts per two vectors).
 */
export function conv_grad_filter_direct(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<ConvJob>(job);
  const rows = j.kH * j.kW * j.inC, pixels = j.outH * j.outW;
  const ldgBytes = <usize>j.ldb * 4, dyRowBytes = <usize>j.outC * 4;
  const scratch = j.scratch + <usize>tid * j.scratchStride;
  for (let b = start; b < end; b++) {
    const src = source(j, b);
    const out = j.c + <usize>b * rows * ldgBytes;
    const sums = j.dbPartial ? j.dbPartial + <usize>b * ldgBytes : 0;
    if (sums) memory.fill(sums, 0, ldgBytes);
    for (let m0 = 0; m0 < pixels; m0 += FILTER_CHUNK) {
      const m1 = min(m0 + FILTER_CHUNK, pixels);
      const windows = j.windows, windowsEnd = windows + <usize>m1 * 4;
      const first = <usize>b * pixels + m0;
      let gChunk = j.b + first * ldgBytes;
      if (j.dy) {
        gChunk = scratch;
        maskRows(j.dy + first * dyRowBytes, j.y ? j.y + first * dyRowBytes : 0, gChunk, sums, m1 - m0, j.outC, j.ldb);
      }
      for (let r0 = 0; r0 < rows; r0 += 2) {
        // A row past R repeats the last row; its sums are neither loaded nor stored.
        const pair = r0 + 1 < rows;
        const x0 = src + <usize>load<i32>(j.taps + <usize>r0 * 4);
        const x1 = src + <usize>load<i32>(j.taps + <usize>(pair ? r0 + 1 : r0) * 4);
        for (let c0 = 0; c0 < j.ldb; c0 += FILTER_NC) {
          const row = out + <usize>r0 * ldgBytes + <usize>c0 * 4, next = row + ldgBytes;
          let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
          if (m0 > 0) {
            c00 = v128.load(row); c01 = v128.load(row, 16); c02 = v128.load(row, 32); c03 = v128.load(row, 48);
            if (pair) { c10 = v128.load(next); c11 = v128.load(next, 16); c12 = v128.load(next, 32); c13 = v128.load(next, 48); }
          }
          let gp = gChunk + <usize>c0 * 4;
          // The window table is walked by a local pointer: V8 does not hoist j.windows' load out of the loop.
          for (let wp = windows + <usize>m0 * 4; wp < windowsEnd; wp += 4, gp += ldgBytes) {
            const at = <usize>load<i32>(wp);
            const g0 = v128.load(gp), g1 = v128.load(gp, 16), g2 = v128.load(gp, 32), g3 = v128.load(gp, 48);
            let a = v128.load32_splat(x0 + at);
            c00 = fma(a, g0, c00); c01 = fma(a, g1, c01); c02 = fma(a, g2, c02); c03 = fma(a, g3, c03);
            a = v128.load32_splat(x1 + at);
            c10 = fma(a, g0, c10); c11 = fma(a, g1, c11); c12 = fma(a, g2, c12); c13 = fma(a, g3, c13);
          }
          v128.store(row, c00); v128.store(row, c01, 16); v128.store(row, c02, 32); v128.store(row, c03, 48);
          if (pair) { v128.store(next, c10); v128.store(next, c11, 16); v128.store(next, c12, 32); v128.store(next, c13, 48); }
        }
      }
    }
  }
}
