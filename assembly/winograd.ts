// Kernel family 'winograd': 3×3, stride-1, dilation-1 convolutions by Winograd's F(2×2, 3×3)
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2015). Each 2×2 block of
// output pixels (a tile) comes from the 4×4 input patch d under it: with V = B^T d B per input
// channel and U = G g G^T per filter slice g, the tile is A^T M A with M = the sum over input
// channels of U ⊙ V. The 16 positions of the 4×4 transforms are 16 independent products
// [tiles × inC] @ [inC × outC]: 16 multiplications per tile and channel pair where the direct
// convolution does 36.
//
// Work units are fixed blocks of `block` tiles, numbered across images and row-major within each.
// A unit transforms its patches into per-thread scratch (V), runs the 16 products (M, beside V),
// and transforms back with bias and ReLU: V and M stay in cache, and each output's sum runs in
// the same order whatever the number of threads.
//
// The filter gradient is the same algorithm transposed: with dM = A dy A^T per 2×2 tile of dy,
// dU = the sum over tiles of dM ⊙ V, and dg = G^T dU G. The 16 positions' sums over tiles are
// products [inC × tiles] @ [tiles × outC]; work units are fixed groups of blocks, each adding its
// tiles into a partial dU of its own, and a second pass sums the partials in order and transforms.
import { NR } from './gemm';
import { loadPart, storePart, storeTile } from './tile';
import { fma } from './simd';

/**
 * A job of winograd_conv or winograd_grad_filter, written by src/engine/wasm/winograd.ts (FIELDS,
 * same order). x's pixels are `ldx` floats apart (the padded rows of g for an input gradient); u
 * holds the 16 transformed filters (winograd_filter); `zeros` holds a row of V's width of zeros,
 * read for patch pixels outside the image. The filter gradient reads dy's pixels `ldy` floats
 * apart and writes group g's partial dU at partial + g · partialBytes(j); a group is
 * `groupBlocks` blocks.
 */
@unmanaged class WinogradJob {
  x: usize; ldx: i32; u: usize; bias: usize; relu: i32; out: usize; zeros: usize;
  scratch: usize; scratchStride: i32; block: i32;
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32; padTop: i32; padLeft: i32;
  dy: usize; ldy: i32; partial: usize; groupBlocks: i32;
}

/** Floats per row of V: inC rounded up to whole vectors. */
@inline function widthV(inC: i32): i32 {
  return (inC + 3) & ~3;
}

/** Floats per row of M and of U's panels: outC rounded up to whole NR panels. */
@inline function widthM(outC: i32): i32 {
  return (outC + NR - 1) / NR * NR;
}

/**
 * Bytes from one position's rows of V (or M) to the next's: a block's rows and one more, so the
 * 16 positions of a tile do not all fall in one L1 set when a block's bytes are a multiple of 4 KiB
 * (64 tiles of 32 channels: the input transform took 6 times as long, the output transform twice).
 */
@inline function positionBytes(j: WinogradJob, rowBytes: usize): usize {
  return <usize>(j.block + 1) * rowBytes;
}

/** Four lanes of a strided row: src[i * cs] for i < count, zeros after. */
@inline function loadStrided(src: usize, count: i32, cs: i32): v128 {
  if (cs == 1) return loadPart(src, count);
  const step = <usize>cs * 4;
  let v = f32x4.splat(0);
  if (count > 0) v = f32x4.replace_lane(v, 0, load<f32>(src));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(src + step));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(src + 2 * step));
  if (count > 3) v = f32x4.replace_lane(v, 3, load<f32>(src + 3 * step));
  return v;
}

/** The four outputs of G applied to (x0, x1, x2): x0, (x0 + x1 + x2) / 2, (x0 - x1 + x2) / 2, x2, `stride` bytes apart. */
@inline function filterRow(x0: v128, x1: v128, x2: v128, at: usize, stride: usize): void {
  const half = f32x4.splat(0.5);
  const even = f32x4.mul(f32x4.add(x0, x2), half), odd = f32x4.mul(x1, half);
  v128.store(at, x0);
  v128.store(at + stride, f32x4.add(even, odd));
  v128.store(at + 2 * stride, f32x4.sub(even, odd));
  v128.store(at + 3 * stride, x2);
}

/**
 * U = G g G^T (G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]) for input channels [start, end), four output
 * channels at a time. Tap (kh, kw) of input channel ci and output channel co is
 * w[(kh * 3 + kw) * tap + ci * rs + co * cs] (floats), or tap (2 - kh, 2 - kw) with `flip` (the
 * rotated filter of an input gradient). Position e is packed as gemm_pack_b packs B, NR-wide
 * panels over inC, at u + e * inC * widthM(outC) floats; channels past outC are zeros.
 */
export function winograd_filter(
  start: i32, end: i32, _tid: i32, u: usize, w: usize, tap: i32, rs: i32, cs: i32, flip: i32, inC: i32, outC: i32,
): void {
  const ld = widthM(outC);
  const positionBytes = <usize>inC * ld * 4;
  const half = f32x4.splat(0.5);
  for (let ci = start; ci < end; ci++) {
    for (let co = 0; co < ld; co += 4) {
      const src = w + (<usize>ci * rs + <usize>co * cs) * 4, n = outC - co;
      const tapBytes = <usize>tap * 4;
      // Taps in reading order; `flip` reverses them.
      const t0 = src + <usize>(flip ? 8 : 0) * tapBytes, dir: isize = flip ? -<isize>tapBytes : <isize>tapBytes;
      const g00 = loadStrided(t0, n, cs), g01 = loadStrided(t0 + dir, n, cs), g02 = loadStrided(t0 + 2 * dir, n, cs);
      const g10 = loadStrided(t0 + 3 * dir, n, cs), g11 = loadStrided(t0 + 4 * dir, n, cs), g12 = loadStrided(t0 + 5 * dir, n, cs);
      const g20 = loadStrided(t0 + 6 * dir, n, cs), g21 = loadStrided(t0 + 7 * dir, n, cs), g22 = loadStrided(t0 + 8 * dir, n, cs);
      // G g, rows 1 and 2 from their even and odd parts; then each row times G^T to its positions.
      const e0 = f32x4.mul(f32x4.add(g00, g20), half), o0 = f32x4.mul(g10, half);
      const e1 = f32x4.mul(f32x4.add(g01, g21), half), o1 = f32x4.mul(g11, half);
      const e2 = f32x4.mul(f32x4.add(g02, g22), half), o2 = f32x4.mul(g12, half);
      const at = u + (<usize>(co / NR) * inC + ci) * NR * 4 + <usize>(co % NR) * 4;
      filterRow(g00, g01, g02, at, positionBytes);
      filterRow(f32x4.add(e0, o0), f32x4.add(e1, o1), f32x4.add(e2, o2), at + 4 * positionBytes, positionBytes);
      filterRow(f32x4.sub(e0, o0), f32x4.sub(e1, o1), f32x4.sub(e2, o2), at + 8 * positionBytes, positionBytes);
      filterRow(g20, g21, g22, at + 12 * positionBytes, positionBytes);
    }
  }
}

/** Bytes of the per-thread scratch before V: the patch's 16 pixel addresses, then one vector for partial stores. */
const HEAD = 80;

/**
 * Writes V for tiles [t0, t0 + count) into `v` (tile i of position e at row e · (block + 1) + i, rows
 * widthV floats): B^T d B with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], four channels at a time.
 */
function transformInput(j: WinogradJob, t0: i32, count: i32, table: usize, v: usize): void {
  const tilesW = (j.outW + 1) >> 1, perImage = ((j.outH + 1) >> 1) * tilesW;
  const pixelBytes = <usize>j.ldx * 4, rowBytes = <usize>widthV(j.inC) * 4, position = positionBytes(j, rowBytes);
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / tilesW, tw = t % tilesW;
    const ih0 = 2 * th - j.padTop, iw0 = 2 * tw - j.padLeft;
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const ih = ih0 + r, iw = iw0 + c;
        const inside = (<u32>ih < <u32>j.inH) & (<u32>iw < <u32>j.inW);
        const at = j.x + ((<usize>b * j.inH + ih) * j.inW + iw) * pixelBytes;
        store<usize>(table + <usize>(r * 4 + c) * 4, select<usize>(at, j.zeros, inside));
      }
    }
    let dst = v + <usize>i * rowBytes;
    for (let ci = 0; ci < j.inC; ci += 4, dst += 16) {
      const n = j.inC - ci, off = <usize>ci * 4;
      // d B, row by row: (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
      let d0 = loadPart(load<usize>(table) + off, n), d1 = loadPart(load<usize>(table, 4) + off, n);
      let d2 = loadPart(load<usize>(table, 8) + off, n), d3 = loadPart(load<usize>(table, 12) + off, n);
      const a0 = f32x4.sub(d0, d2), a1 = f32x4.add(d1, d2), a2 = f32x4.sub(d2, d1), a3 = f32x4.sub(d1, d3);
      d0 = loadPart(load<usize>(table, 16) + off, n); d1 = loadPart(load<usize>(table, 20) + off, n);
      d2 = loadPart(load<usize>(table, 24) + off, n); d3 = loadPart(load<usize>(table, 28) + off, n);
      const b0 = f32x4.sub(d0, d2), b1 = f32x4.add(d1, d2), b2 = f32x4.sub(d2, d1), b3 = f32x4.sub(d1, d3);
      d0 = loadPart(load<usize>(table, 32) + off, n); d1 = loadPart(load<usize>(table, 36) + off, n);
      d2 = loadPart(load<usize>(table, 40) + off, n); d3 = loadPart(load<usize>(table, 44) + off, n);
      const c0 = f32x4.sub(d0, d2), c1 = f32x4.add(d1, d2), c2 = f32x4.sub(d2, d1), c3 = f32x4.sub(d1, d3);
      d0 = loadPart(load<usize>(table, 48) + off, n); d1 = loadPart(load<usize>(table, 52) + off, n);
      d2 = loadPart(load<usize>(table, 56) + off, n); d3 = loadPart(load<usize>(table, 60) + off, n);
      // B^T (d B), column by column; rows a, b, c, d3.. of d B are patch rows 0..3.
      inputColumn(a0, b0, c0, f32x4.sub(d0, d2), dst, position);
      inputColumn(a1, b1, c1, f32x4.add(d1, d2), dst + position, position);
      inputColumn(a2, b2, c2, f32x4.sub(d2, d1), dst + 2 * position, position);
      inputColumn(a3, b3, c3, f32x4.sub(d1, d3), dst + 3 * position, position);
    }
  }
}

/** B^T applied to one column (x0..x3) of d B: positions (0, c), (1, c), (2, c), (3, c) at 4 · `stride` apart. */
@inline function inputColumn(x0: v128, x1: v128, x2: v128, x3: v128, at: usize, stride: usize): void {
  v128.store(at, f32x4.sub(x0, x2));
  v128.store(at + 4 * stride, f32x4.add(x1, x2));
  v128.store(at + 8 * stride, f32x4.sub(x2, x1));
  v128.store(at + 12 * stride, f32x4.sub(x1, x3));
}

/**
 * M = V @ U for each of the 16 positions, rows [0, rows) (a multiple of MR = 4): blocks of 4
 * tiles × NR channels accumulated in registers over inC in order, as gemm.ts's micro-kernel
 * does, with V's rows read in place (broadcast) and U's panels as packed.
 */
function multiply(j: WinogradJob, rows: i32, v: usize, m: usize): void {
  const rowV = <usize>widthV(j.inC) * 4, ldM = widthM(j.outC), rowM = <usize>ldM * 4;
  const panelBytes = <usize>j.inC * NR * 4;
  for (let e = 0; e < 16; e++) {
    const ve = v + <usize>e * positionBytes(j, rowV), me = m + <usize>e * positionBytes(j, rowM);
    const ue = j.u + <usize>e * j.inC * ldM * 4;
    for (let n0 = 0; n0 < ldM; n0 += NR) {
      const panel = ue + <usize>(n0 / NR) * panelBytes;
      const panelEnd = panel + panelBytes;
      for (let i = 0; i < rows; i += 4) {
        const s0 = ve + <usize>i * rowV, s1 = s0 + rowV, s2 = s1 + rowV, s3 = s2 + rowV;
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (let bp = panel, off: usize = 0; bp < panelEnd; bp += NR * 4, off += 4) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let a = v128.load32_splat(s0 + off); c00 = fma(a, b0, c00); c01 = fma(a, b1, c01);
          a = v128.load32_splat(s1 + off); c10 = fma(a, b0, c10); c11 = fma(a, b1, c11);
          a = v128.load32_splat(s2 + off); c20 = fma(a, b0, c20); c21 = fma(a, b1, c21);
          a = v128.load32_splat(s3 + off); c30 = fma(a, b0, c30); c31 = fma(a, b1, c31);
        }
        storeTile(me + <usize>i * rowM + <usize>n0 * 4, rowM, 4, NR, false, 0, false, c00, c01, c10, c11, c20, c21, c30, c31);
      }
    }
  }
}

/** A^T applied to (x0, x1, x2, x3): (x0 + x1 + x2, x1 - x2 - x3). */
@inline function outputFirst(x0: v128, x1: v128, x2: v128): v128 {
  return f32x4.add(f32x4.add(x0, x1), x2);
}
@inline function outputSecond(x1: v128, x2: v128, x3: v128): v128 {
  return f32x4.sub(f32x4.sub(x1, x2), x3);
}

/** Stores `count` (< 4 means a channel tail) lanes of act(v + bias) at p, through `spill` for a tail. */
@inline function finishStore(p: usize, v: v128, bias: v128, relu: bool, count: i32, spill: usize): void {
  v = f32x4.add(v, bias);
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  if (count >= 4) {
    v128.store(p, v);
  } else {
    v128.store(spill, v);
    memory.copy(p, spill, <usize>count * 4);
  }
}

/**
 * The output pixels of tiles [t0, t0 + count): A^T M A (A^T = [1 1 1 0; 0 1 -1 -1]) with bias
 * and ReLU, four channels at a time; a tile's pixels past the output's bottom or right edge are
 * dropped.
 */
function transformOutput(j: WinogradJob, t0: i32, count: i32, m: usize, spill: usize): void {
  const tilesW = (j.outW + 1) >> 1, perImage = ((j.outH + 1) >> 1) * tilesW;
  const rowM = <usize>widthM(j.outC) * 4, position = positionBytes(j, rowM), pixelBytes = <usize>j.outC * 4;
  const relu = j.relu != 0;
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / tilesW, tw = t % tilesW;
    const oh = 2 * th, ow = 2 * tw;
    const down = oh + 1 < j.outH, right = ow + 1 < j.outW;
    const y = j.out + ((<usize>b * j.outH + oh) * j.outW + ow) * pixelBytes, below = y + <usize>j.outW * pixelBytes;
    let src = m + <usize>i * rowM;
    for (let co = 0; co < j.outC; co += 4, src += 16) {
      const n = j.outC - co, off = <usize>co * 4;
      const bias = j.bias ? loadPart(j.bias + off, n) : f32x4.splat(0);
      // M A, row by row (rows r of M at positions 4r..4r+3), then A^T of the two columns.
      let x0 = v128.load(src), x1 = v128.load(src + position), x2 = v128.load(src + 2 * position), x3 = v128.load(src + 3 * position);
      const p0 = outputFirst(x0, x1, x2), q0 = outputSecond(x1, x2, x3);
      x0 = v128.load(src + 4 * position); x1 = v128.load(src + 5 * position); x2 = v128.load(src + 6 * position); x3 = v128.load(src + 7 * position);
      const p1 = outputFirst(x0, x1, x2), q1 = outputSecond(x1, x2, x3);
      x0 = v128.load(src + 8 * position); x1 = v128.load(src + 9 * position); x2 = v128.load(src + 10 * position); x3 = v128.load(src + 11 * position);
      const p2 = outputFirst(x0, x1, x2), q2 = outputSecond(x1, x2, x3);
      x0 = v128.load(src + 12 * position); x1 = v128.load(src + 13 * position); x2 = v128.load(src + 14 * position); x3 = v128.load(src + 15 * position);
      const p3 = outputFirst(x0, x1, x2), q3 = outputSecond(x1, x2, x3);
      finishStore(y + off, outputFirst(p0, p1, p2), bias, relu, n, spill);
      if (right) finishStore(y + pixelBytes + off, outputFirst(q0, q1, q2), bias, relu, n, spill);
      if (down) {
        finishStore(below + off, outputSecond(p1, p2, p3), bias, relu, n, spill);
        if (right) finishStore(below + pixelBytes + off, outputSecond(q1, q2, q3), bias, relu, n, spill);
      }
    }
  }
}

/** Convolution for tile blocks [start, end) of the job at `job` (a WinogradJob). */
export function winograd_conv(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  const tiles = j.batch * ((j.outH + 1) >> 1) * ((j.outW + 1) >> 1);
  const scratch = j.scratch + <usize>tid * j.scratchStride;
  const v = scratch + HEAD;
  const m = v + 16 * positionBytes(j, <usize>widthV(j.inC) * 4);
  for (let u = start; u < end; u++) {
    const t0 = u * j.block, count = min(j.block, tiles - t0);
    transformInput(j, t0, count, scratch, v);
    multiply(j, (count + 3) & ~3, v, m);
    transformOutput(j, t0, count, m, scratch + 64);
  }
}

/**
 * Writes dM = A dy A^T for tiles [t0, t0 + count) into `dm`, laid out as M is, four channels at a
 * time; dy's pixels past the output's bottom or right edge count as zeros.
 */
function transformGradOutput(j: WinogradJob, t0: i32, count: i32, dm: usize): void {
  const tilesW = (j.outW + 1) >> 1, perImage = ((j.outH + 1) >> 1) * tilesW;
  const rowM = <usize>widthM(j.outC) * 4, position = positionBytes(j, rowM), pixelBytes = <usize>j.ldy * 4;
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / tilesW, tw = t % tilesW;
    const oh = 2 * th, ow = 2 * tw;
    const down = oh + 1 < j.outH, right = ow + 1 < j.outW;
    const y = j.dy + ((<usize>b * j.outH + oh) * j.outW + ow) * pixelBytes, below = y + <usize>j.outW * pixelBytes;
    let dst = dm + <usize>i * rowM;
    for (let co = 0; co < j.outC; co += 4, dst += 16) {
      const n = j.outC - co, off = <usize>co * 4;
      const d00 = loadPart(y + off, n), d01 = right ? loadPart(y + pixelBytes + off, n) : zero;
      const d10 = down ? loadPart(below + off, n) : zero, d11 = down && right ? loadPart(below + pixelBytes + off, n) : zero;
      // A dy, row by row: (d0, d0 + d1, d0 - d1, -d1) of each column; then each row times A^T.
      gradOutputRow(d00, d01, dst, position);
      gradOutputRow(f32x4.add(d00, d10), f32x4.add(d01, d11), dst + 4 * position, position);
      gradOutputRow(f32x4.sub(d00, d10), f32x4.sub(d01, d11), dst + 8 * position, position);
      gradOutputRow(f32x4.neg(d10), f32x4.neg(d11), dst + 12 * position, position);
    }
  }
}

/** A applied to a row (p, q) of A dy: positions (p, p + q, p - q, -q), `stride` bytes apart. */
@inline function gradOutputRow(p: v128, q: v128, at: usize, stride: usize): void {
  v128.store(at, p);
  v128.store(at + stride, f32x4.add(p, q));
  v128.store(at + 2 * stride, f32x4.sub(p, q));
  v128.store(at + 3 * stride, f32x4.neg(q));
}

/** Floats of one group's partial dU: 16 positions of widthV(inC) rows × widthM(outC). */
@inline function partialFloats(inC: i32, outC: i32): usize {
  return 16 * <usize>widthV(inC) * widthM(outC);
}

/**
 * acc[e] += V[e]^T @ dM[e] over `count` tiles, for each of the 16 positions: blocks of 4 input
 * × NR output channels accumulated in registers over the tiles in order, then added to acc.
 */
function accumulate(j: WinogradJob, count: i32, v: usize, dm: usize, acc: usize): void {
  const wv = widthV(j.inC), ldM = widthM(j.outC);
  const rowV = <usize>wv * 4, rowM = <usize>ldM * 4, ldAcc = <usize>ldM * 4;
  for (let e = 0; e < 16; e++) {
    const ve = v + <usize>e * positionBytes(j, rowV), me = dm + <usize>e * positionBytes(j, rowM);
    const ae = acc + <usize>e * wv * ldAcc;
    for (let ci = 0; ci < wv; ci += 4) {
      for (let n0 = 0; n0 < ldM; n0 += NR) {
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        let s = ve + <usize>ci * 4, g = me + <usize>n0 * 4;
        for (let i = 0; i < count; i++, s += rowV, g += rowM) {
          const b0 = v128.load(g), b1 = v128.load(g, 16);
          let a = v128.load32_splat(s); c00 = fma(a, b0, c00); c01 = fma(a, b1, c01);
          a = v128.load32_splat(s, 4); c10 = fma(a, b0, c10); c11 = fma(a, b1, c11);
          a = v128.load32_splat(s, 8); c20 = fma(a, b0, c20); c21 = fma(a, b1, c21);
          a = v128.load32_splat(s, 12); c30 = fma(a, b0, c30); c31 = fma(a, b1, c31);
        }
        const at = ae + <usize>ci * ldAcc + <usize>n0 * 4;
        addTo(at, c00); addTo(at + 16, c01);
        addTo(at + ldAcc, c10); addTo(at + ldAcc + 16, c11);
        addTo(at + 2 * ldAcc, c20); addTo(at + 2 * ldAcc + 16, c21);
        addTo(at + 3 * ldAcc, c30); addTo(at + 3 * ldAcc + 16, c31);
      }
    }
  }
}

@inline function addTo(at: usize, v: v128): void {
  v128.store(at, f32x4.add(v128.load(at), v));
}

/** Partial dU of tile groups [start, end) of the job at `job` (a WinogradJob). */
export function winograd_grad_filter(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  const tiles = j.batch * ((j.outH + 1) >> 1) * ((j.outW + 1) >> 1);
  const blocks = (tiles + j.block - 1) / j.block;
  const scratch = j.scratch + <usize>tid * j.scratchStride;
  const v = scratch + HEAD;
  const dm = v + 16 * positionBytes(j, <usize>widthV(j.inC) * 4);
  const groupBytes = partialFloats(j.inC, j.outC) * 4;
  for (let g = start; g < end; g++) {
    const acc = j.partial + <usize>g * groupBytes;
    memory.fill(acc, 0, groupBytes);
    const last = min((g + 1) * j.groupBlocks, blocks);
    for (let k = g * j.groupBlocks; k < last; k++) {
      const t0 = k * j.block, count = min(j.block, tiles - t0);
      transformInput(j, t0, count, scratch, v);
      transformGradOutput(j, t0, count, dm);
      accumulate(j, count, v, dm, acc);
    }
  }
}

/** The sum over `groups` partials, in order, of position e's four lanes at `at` (floats of partial 0). */
@inline function groupSum(partial: usize, groups: i32, groupBytes: usize, at: usize): v128 {
  let s = v128.load(partial + at);
  for (let g = 1; g < groups; g++) s = f32x4.add(s, v128.load(partial + <usize>g * groupBytes + at));
  return s;
}

/**
 * dg = G^T dU G for input channels [start, end), dU the sum of the groups' partials: the HWIO
 * filter gradient, tap (kh, kw) of channels (ci, co) at dw[(kh·3 + kw)·inC·outC + ci·outC + co].
 */
export function winograd_grad_filter_finish(start: i32, end: i32, _tid: i32, partial: usize, groups: i32, dw: usize, inC: i32, outC: i32): void {
  const ldM = widthM(outC), groupBytes = partialFloats(inC, outC) * 4;
  const position = <usize>widthV(inC) * ldM * 4, tapBytes = <usize>inC * outC * 4;
  const half = f32x4.splat(0.5);
  for (let ci = start; ci < end; ci++) {
    for (let co = 0; co < outC; co += 4) {
      const n = outC - co, src = (<usize>ci * ldM + co) * 4;
      // dU G, row by row: (x0 + h, d, h + x3) with h, d the half sum and difference of x1, x2.
      let x0 = groupSum(partial, groups, groupBytes, src), x1 = groupSum(partial, groups, groupBytes, src + position);
      let x2 = groupSum(partial, groups, groupBytes, src + 2 * position), x3 = groupSum(partial, groups, groupBytes, src + 3 * position);
      let h = f32x4.mul(f32x4.add(x1, x2), half), d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p0 = f32x4.add(x0, h), q0 = d, r0 = f32x4.add(h, x3);
      x0 = groupSum(partial, groups, groupBytes, src + 4 * position); x1 = groupSum(partial, groups, groupBytes, src + 5 * position);
      x2 = groupSum(partial, groups, groupBytes, src + 6 * position); x3 = groupSum(partial, groups, groupBytes, src + 7 * position);
      h = f32x4.mul(f32x4.add(x1, x2), half); d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p1 = f32x4.add(x0, h), q1 = d, r1 = f32x4.add(h, x3);
      x0 = groupSum(partial, groups, groupBytes, src + 8 * position); x1 = groupSum(partial, groups, groupBytes, src + 9 * position);
      x2 = groupSum(partial, groups, groupBytes, src + 10 * position); x3 = groupSum(partial, groups, groupBytes, src + 11 * position);
      h = f32x4.mul(f32x4.add(x1, x2), half); d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p2 = f32x4.add(x0, h), q2 = d, r2 = f32x4.add(h, x3);
      x0 = groupSum(partial, groups, groupBytes, src + 12 * position); x1 = groupSum(partial, groups, groupBytes, src + 13 * position);
      x2 = groupSum(partial, groups, groupBytes, src + 14 * position); x3 = groupSum(partial, groups, groupBytes, src + 15 * position);
      h = f32x4.mul(f32x4.add(x1, x2), half); d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p3 = f32x4.add(x0, h), q3 = d, r3 = f32x4.add(h, x3);
      // G^T of each column (p, q, r): taps kw = 0, 1, 2 of rows kh = 0, 1, 2.
      const at = dw + <usize>ci * outC * 4 + <usize>co * 4;
      filterGradColumn(p0, p1, p2, p3, at, 3 * tapBytes, n);
      filterGradColumn(q0, q1, q2, q3, at + tapBytes, 3 * tapBytes, n);
      filterGradColumn(r0, r1, r2, r3, at + 2 * tapBytes, 3 * tapBytes, n);
    }
  }
}

/** G^T applied to a column (x0..x3): rows (x0 + h, d, h + x3), stored `stride` bytes apart, `count` lanes. */
@inline function filterGradColumn(x0: v128, x1: v128, x2: v128, x3: v128, at: usize, stride: usize, count: i32): void {
  const half = f32x4.splat(0.5);
  const h = f32x4.mul(f32x4.add(x1, x2), half), d = f32x4.mul(f32x4.sub(x1, x2), half);
  storePart(at, f32x4.add(x0, h), count);
  storePart(at + stride, d, count);
  storePart(at + 2 * stride, f32x4.add(h, x3), count);
}
