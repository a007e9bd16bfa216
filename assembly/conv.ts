// Kernel family 'conv': see src/engine/kernels.ts for the contract.
//
// Convolutions run on the GEMM machinery of gemm.ts with im2col folded into the packing of the
// A operand: row m of im2col(x) is output pixel m = (b, oh, ow) and column l = (kh, kw, ic) is
// x[b, oh * strideH + kh * dilationH - padTop, ow * strideW + kw * dilationW - padLeft, ic], zero
// in the padding. Forward: out = im2col(x) @ W (A_IM2COL); filter gradient:
// dW = im2col(x)^T @ dy (A_IM2COL_T); input gradient: col2im(dy @ W^T) (conv_grad_input).
// `Gemm`, the job layout, is @global in gemm.ts: as an export it would draw a compiler warning
// (index.ts re-exports everything, and a class cannot be a module export).
import { gemmTile, interleave4, KC, MR, ZEROS } from './gemm';
import { fma } from './simd';

/**
 * A direct filter-gradient job (conv_grad_filter_direct), written by src/engine/wasm/conv.ts
 * (FILTER_FIELDS, same order). The input is `a` and the geometry fields carry Gemm's names, so
 * the window helpers below serve both layouts.
 */
@unmanaged class FilterJob {
  a: usize; g: usize; ldg: i32; partial: usize;
  scratch: usize; scratchStride: i32; // per-thread bytes at scratch + tid * scratchStride
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32;
  kH: i32; kW: i32; strideH: i32; strideW: i32; dilationH: i32; dilationW: i32; padTop: i32; padLeft: i32;
}

/** Address of x[b, ih, iw, ic] for the image starting at `img`, or ZEROS when (ih, iw) is padding. */
@inline function pixel<T>(g: T, img: usize, ih: i32, iw: i32, ic: i32): usize {
  if (img == 0 || <u32>ih >= <u32>g.inH || <u32>iw >= <u32>g.inW) return ZEROS;
  return img + ((<usize>ih * g.inW + iw) * g.inC + ic) * 4;
}

/** First input row of output pixel r's window (negative in the top padding). */
@inline function windowTop(g: Gemm, r: i32): i32 {
  return ((r / g.outW) % g.outH) * g.strideH - g.padTop;
}

/** First input column of output pixel r's window (negative in the left padding). */
@inline function windowLeft(g: Gemm, r: i32): i32 {
  return (r % g.outW) * g.strideW - g.padLeft;
}

/** Image of output pixel r, or 0 (which reads as padding) for a row that is not there. */
@inline function windowImage(g: Gemm, r: i32, present: bool): usize {
  return present ? image(g, r / (g.outW * g.outH)) : 0;
}

/** Whether the window starting at column w0 lies within the image's width (or the row is absent). */
@inline function clearW(g: Gemm, img: usize, w0: i32): bool {
  return img == 0 || (w0 >= 0 && w0 + g.kW <= g.inW);
}

/** Address of image b of x. */
@inline function image<T>(g: T, b: i32): usize {
  return g.a + <usize>b * g.inH * g.inW * g.inC * 4;
}

/** Packs im2col rows [i0, i0 + rows) × columns [l0, l0 + kc) into zero-padded MR panels. */
export function packIm2colRows(g: Gemm, i0: i32, rows: i32, l0: i32, kc: i32, dst: usize): void {
  for (let p = 0; p < rows; p += MR) {
    // Each of the panel's four rows is an output pixel: where its window starts in its image.
    // A row past the end gets img 0, which reads as padding.
    const r = i0 + p;
    const h0 = windowTop(g, r), w0 = windowLeft(g, r), img0 = windowImage(g, r, true);
    const h1 = windowTop(g, r + 1), w1 = windowLeft(g, r + 1), img1 = windowImage(g, r + 1, p + 1 < rows);
    const h2 = windowTop(g, r + 2), w2 = windowLeft(g, r + 2), img2 = windowImage(g, r + 2, p + 2 < rows);
    const h3 = windowTop(g, r + 3), w3 = windowLeft(g, r + 3), img3 = windowImage(g, r + 3, p + 3 < rows);

    // With no dilation along w and every window clear of the left/right padding, a whole kernel
    // row (kW·inC floats) is contiguous in x: one run instead of kW, which matters for few channels.
    const wide = g.dilationW == 1
      && clearW(g, img0, w0) && clearW(g, img1, w1) && clearW(g, img2, w2) && clearW(g, img3, w3);
    const panel = dst + <usize>p * kc * 4;
    let ic = l0 % g.inC;
    const cell = l0 / g.inC;
    let kw = cell % g.kW, kh = cell / g.kW;
    // Walk the columns one run at a time: the channels of a kernel cell (kh, kw), or the rest of
    // kernel row kh when wide.
    for (let l = 0; l < kc;) {
      const len = min(wide ? (g.kW - kw) * g.inC - ic : g.inC - ic, kc - l);
      const dh = kh * g.dilationH, dw = kw * g.dilationW;
      interleave4(
        pixel(g, img0, h0 + dh, w0 + dw, ic), pixel(g, img1, h1 + dh, w1 + dw, ic),
        pixel(g, img2, h2 + dh, w2 + dw, ic), pixel(g, img3, h3 + dh, w3 + dw, ic),
        len, panel + <usize>l * MR * 4,
      );
      // A run cut short by kc ends the loop, so the position only needs to be right after full runs.
      l += len;
      ic = 0;
      if (wide || ++kw == g.kW) { kw = 0; kh++; }
    }
  }
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
 * The gradient at a fused conv's pre-activation, one image (`pixels` rows of dy) per unit:
 * g = dy where y > 0 (ReLU; all of dy when y is 0), in rows of ldg floats whose tail is zeroed
 * (conv_grad_filter_direct reads whole FILTER_NC-wide blocks), and, unless dbPartial is 0, the
 * image's column sums of g at dbPartial + b * ldg floats. No copy of the mask or of g leaves the
 * engine.
 */
export function conv_grad_output(
  start: i32, end: i32, _tid: i32, dy: usize, y: usize, g: usize, dbPartial: usize, pixels: i32, outC: i32, ldg: i32,
): void {
  const zero = f32x4.splat(0);
  for (let b = start; b < end; b++) {
    const sums = dbPartial + <usize>b * ldg * 4;
    if (dbPartial) memory.fill(sums, 0, <usize>ldg * 4);
    for (let r = <usize>b * pixels; r < <usize>(b + 1) * pixels; r++) {
      const src = dy + r * outC * 4, live = y + r * outC * 4, out = g + r * ldg * 4;
      let c = 0;
      for (; c + 4 <= outC; c += 4) {
        const o = <usize>c * 4;
        let v = v128.load(src + o);
        if (y) v = v128.and(v, f32x4.gt(v128.load(live + o), zero));
        v128.store(out + o, v);
        if (dbPartial) v128.store(sums + o, f32x4.add(v128.load(sums + o), v));
      }
      for (; c < outC; c++) {
        const o = <usize>c * 4;
        const v = !y || load<f32>(live + o) > 0 ? load<f32>(src + o) : 0;
        store<f32>(out + o, v);
        if (dbPartial) store<f32>(sums + o, load<f32>(sums + o) + v);
      }
      for (; c < ldg; c++) store<f32>(out + <usize>c * 4, 0);
    }
  }
}

/**
 * Copies image b of x into `dst` with its padding made real: rows × cols pixels, where (0, 0)
 * is input pixel (-padTop, -padLeft), zeros outside the image.
 */
function padImage(j: FilterJob, b: i32, rows: i32, cols: i32, dst: usize): void {
  const img = image(j, b);
  for (let ph = 0; ph < rows; ph++) {
    for (let pw = 0; pw < cols; pw++) {
      // A few floats each: a loop, where memory.copy would cost a call per pixel.
      const src = pixel(j, img, ph - j.padTop, pw - j.padLeft, 0);
      for (let ic = 0; ic < j.inC; ic++, dst += 4) store<f32>(dst, load<f32>(src + <usize>ic * 4));
    }
  }
}

/** Byte offset of filter-gradient row r = (kh, kw, ic) in a window of an image `cols` pixels wide. */
@inline function tapOffset(j: FilterJob, cols: i32, r: i32): usize {
  const cell = r / j.inC;
  return ((<usize>(cell / j.kW) * j.dilationH * cols + <usize>(cell % j.kW) * j.dilationW) * j.inC + r % j.inC) * 4;
}

/** Columns of dW (output channels) per register block of conv_grad_filter_direct; g's rows are padded to it. */
const FILTER_NC = 16;

/**
 * Filter gradient of an input with few channels (rows R = kH·kW·inC, the first layer of a CNN),
 * one image per unit: the image's dW (R × ldg) = im2col(x_b)^T @ g_b goes to partial + b·R·ldg
 * floats, and the engine adds the images' partials in order, so no thread count changes a bit.
 * Blocks of 2 rows × FILTER_NC columns are accumulated in registers straight from x (broadcast)
 * and g over the image's pixels: for so few rows the GEMM spends its time packing im2col panels,
 * not multiplying. Two broadcasts per four g vectors measured 1.7× faster than the GEMM's 4×8
 * shape here (four broadcasts per two vectors). The image is first copied with its padding
 * (per-thread scratch), so every window reads memory without a bounds check.
 */
export function conv_grad_filter_direct(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<FilterJob>(job);
  const rows = j.kH * j.kW * j.inC;
  const outH = j.outH, outW = j.outW;
  // The padded image spans exactly the windows.
  const padRows = (outH - 1) * j.strideH + (j.kH - 1) * j.dilationH + 1;
  const padCols = (outW - 1) * j.strideW + (j.kW - 1) * j.dilationW + 1;
  const padded = j.scratch + <usize>tid * j.scratchStride;
  const pixelBytes = <usize>j.inC * 4, ldgBytes = <usize>j.ldg * 4;
  const stepW = <usize>j.strideW * pixelBytes, stepH = <usize>j.strideH * padCols * pixelBytes;
  for (let b = start; b < end; b++) {
    padImage(j, b, padRows, padCols, padded);
    const gImage = j.g + <usize>b * outH * outW * ldgBytes;
    const out = j.partial + <usize>b * rows * ldgBytes;
    for (let r0 = 0; r0 < rows; r0 += 2) {
      // A row past R repeats the last row; its sums are not stored.
      const x0 = padded + tapOffset(j, padCols, r0);
      const x1 = padded + tapOffset(j, padCols, min(r0 + 1, rows - 1));
      for (let c0 = 0; c0 < j.ldg; c0 += FILTER_NC) {
        let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        let gp = gImage + <usize>c0 * 4;
        for (let oh = 0; oh < outH; oh++) {
          let at = <usize>oh * stepH;
          for (let ow = 0; ow < outW; ow++, at += stepW, gp += ldgBytes) {
            const g0 = v128.load(gp), g1 = v128.load(gp, 16), g2 = v128.load(gp, 32), g3 = v128.load(gp, 48);
            let a = v128.load32_splat(x0 + at);
            c00 = fma(a, g0, c00); c01 = fma(a, g1, c01); c02 = fma(a, g2, c02); c03 = fma(a, g3, c03);
            a = v128.load32_splat(x1 + at);
            c10 = fma(a, g0, c10); c11 = fma(a, g1, c11); c12 = fma(a, g2, c12); c13 = fma(a, g3, c13);
          }
        }
        const row = out + <usize>r0 * ldgBytes + <usize>c0 * 4;
        v128.store(row, c00); v128.store(row, c01, 16); v128.store(row, c02, 32); v128.store(row, c03, 48);
        if (r0 + 1 < rows) {
          const next = row + ldgBytes;
          v128.store(next, c10); v128.store(next, c11, 16); v128.store(next, c12, 32); v128.store(next, c13, 48);
        }
      }
    }
  }
}
