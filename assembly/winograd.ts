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
import { NR } from './gemm';
import { loadPart, storeTile } from './tile';
import { fma } from './simd';

/**
 * A job of winograd_conv, written by src/engine/wasm/winograd.ts (FIELDS, same order). x's
 * pixels are `ldx` floats apart (the padded rows of g for an input gradient); u holds the 16
 * transformed filters (winograd_filter); `zeros` holds a row of V's width of zeros, read for
 * patch pixels outside the image.
 */
@unmanaged class WinogradJob {
  x: usize; ldx: i32; u: usize; bias: usize; relu: i32; out: usize; zeros: usize;
  scratch: usize; scratchStride: i32; block: i32;
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32; padTop: i32; padLeft: i32;
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
