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
// and transforms back with bias and ReLU (winograd_common.ts convBlocks): V and M stay in cache,
// and each output's sum runs in the same order whatever the number of threads.
//
// The filter gradient is the same algorithm transposed: with dM = A dy A^T per 2×2 tile of dy,
// dU = the sum over tiles of dM ⊙ V, and dg = G^T dU G. The 16 positions' sums over tiles are
// products [inC × tiles] @ [tiles × outC]; work units are fixed groups of blocks, each adding its
// tiles into a partial dU of its own (gradFilterGroups); sum_partials adds the partials in order
// and winograd_grad_filter_finish transforms their sum.
import { NR } from './gemm';
import { loadPart, storePart } from './tile';
import {
  WinogradJob, convBlocks, finishStore, gradFilterGroups, loadStrided, partialFloats, patchTable, positionBytes, widthM, widthV,
} from './winograd_common';

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
      const step = <usize>cs * 4;
      const g00 = loadStrided(t0, n, step), g01 = loadStrided(t0 + dir, n, step), g02 = loadStrided(t0 + 2 * dir, n, step);
      const g10 = loadStrided(t0 + 3 * dir, n, step), g11 = loadStrided(t0 + 4 * dir, n, step), g12 = loadStrided(t0 + 5 * dir, n, step);
      const g20 = loadStrided(t0 + 6 * dir, n, step), g21 = loadStrided(t0 + 7 * dir, n, step), g22 = loadStrided(t0 + 8 * dir, n, step);
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

/** Bytes of the per-thread scratch before V: the patch's 16 pixel addresses. HEAD of src/engine/wasm/winograd.ts F2. */
const HEAD = 64;

/**
 * Writes V for tiles [t0, t0 + count) into `v` (tile i of position e at row e · (block + 1) + i, rows
 * widthV floats): B^T d B with B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], four channels at a time.
 */
function transformInput(j: WinogradJob, t0: i32, count: i32, table: usize, v: usize): void {
  const rowBytes = <usize>widthV(j.inC) * 4, position = positionBytes(j, rowBytes);
  for (let i = 0; i < count; i++) {
    patchTable(j, t0 + i, 2, 4, table);
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

/** A^T applied to (x0, x1, x2, x3): (x0 + x1 + x2, x1 - x2 - x3). */
@inline function outputFirst(x0: v128, x1: v128, x2: v128): v128 {
  return f32x4.add(f32x4.add(x0, x1), x2);
}
@inline function outputSecond(x1: v128, x2: v128, x3: v128): v128 {
  return f32x4.sub(f32x4.sub(x1, x2), x3);
}

/**
 * The output pixels of tiles [t0, t0 + count): A^T M A (A^T = [1 1 1 0; 0 1 -1 -1]) with bias
 * and ReLU, four channels at a time; a tile's pixels past the output's bottom or right edge are
 * dropped.
 */
function transformOutput(j: WinogradJob, t0: i32, count: i32, _scratch: usize, m: usize): void {
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
      finishStore(y + off, outputFirst(p0, p1, p2), bias, relu, n);
      if (right) finishStore(y + pixelBytes + off, outputFirst(q0, q1, q2), bias, relu, n);
      if (down) {
        finishStore(below + off, outputSecond(p1, p2, p3), bias, relu, n);
        if (right) finishStore(below + pixelBytes + off, outputSecond(q1, q2, q3), bias, relu, n);
      }
    }
  }
}

/** Tiles of the job: 2×2 blocks of output pixels, over the whole batch. */
@inline function tiles(j: WinogradJob): i32 {
  return j.batch * ((j.outH + 1) >> 1) * ((j.outW + 1) >> 1);
}

/** Convolution for tile blocks [start, end) of the job at `job` (a WinogradJob). */
export function winograd_conv(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  convBlocks(j, start, end, tid, 16, tiles(j), HEAD, transformInput, transformOutput);
}

/**
 * Writes dM = A dy A^T for tiles [t0, t0 + count) into `dm`, laid out as M is, four channels at a
 * time; dy's pixels past the output's bottom or right edge count as zeros.
 */
function transformGradOutput(j: WinogradJob, t0: i32, count: i32, _scratch: usize, dm: usize): void {
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

/** Partial dU of tile groups [start, end) of the job at `job` (a WinogradJob). */
export function winograd_grad_filter(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  gradFilterGroups(j, start, end, tid, 16, tiles(j), HEAD, transformInput, transformGradOutput);
}

/**
 * dg = G^T dU G for input channels [start, end): the HWIO filter gradient, tap (kh, kw) of
 * channels (ci, co) at dw[(kh·3 + kw)·inC·outC + ci·outC + co].
 */
export function winograd_grad_filter_finish(start: i32, end: i32, _tid: i32, du: usize, dw: usize, inC: i32, outC: i32): void {
  const ldM = widthM(outC), position = partialFloats(1, inC, outC) * 4, tapBytes = <usize>inC * outC * 4;
  const half = f32x4.splat(0.5);
  for (let ci = start; ci < end; ci++) {
    for (let co = 0; co < outC; co += 4) {
      const n = outC - co, src = du + (<usize>ci * ldM + co) * 4;
      // dU G, row by row: (x0 + h, d, h + x3) with h, d the half sum and difference of x1, x2.
      let x0 = v128.load(src), x1 = v128.load(src + position), x2 = v128.load(src + 2 * position), x3 = v128.load(src + 3 * position);
      let h = f32x4.mul(f32x4.add(x1, x2), half), d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p0 = f32x4.add(x0, h), q0 = d, r0 = f32x4.add(h, x3);
      x0 = v128.load(src + 4 * position); x1 = v128.load(src + 5 * position); x2 = v128.load(src + 6 * position); x3 = v128.load(src + 7 * position);
      h = f32x4.mul(f32x4.add(x1, x2), half); d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p1 = f32x4.add(x0, h), q1 = d, r1 = f32x4.add(h, x3);
      x0 = v128.load(src + 8 * position); x1 = v128.load(src + 9 * position); x2 = v128.load(src + 10 * position); x3 = v128.load(src + 11 * position);
      h = f32x4.mul(f32x4.add(x1, x2), half); d = f32x4.mul(f32x4.sub(x1, x2), half);
      const p2 = f32x4.add(x0, h), q2 = d, r2 = f32x4.add(h, x3);
      x0 = v128.load(src + 12 * position); x1 = v128.load(src + 13 * position); x2 = v128.load(src + 14 * position); x3 = v128.load(src + 15 * position);
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
