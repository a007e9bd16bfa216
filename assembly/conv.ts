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

/** Address of x[b, ih, iw, ic] for the image starting at `img`, or ZEROS when (ih, iw) is padding. */
@inline function pixel(g: Gemm, img: usize, ih: i32, iw: i32, ic: i32): usize {
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
@inline function image(g: Gemm, b: i32): usize {
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
