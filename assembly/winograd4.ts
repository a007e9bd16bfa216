// Kernel family 'winograd4': 3×3, stride-1, dilation-1 convolutions by Winograd's F(4×4, 3×3)
// (Lavin & Gray 2015), the larger-tile sibling of winograd.ts's F(2×2, 3×3).
// A 4×4 tile of output pixels comes from the 6×6 input patch under it: 36 positions, so 36
// multiplications per tile and channel pair where F(2×2) does 64 (four of its tiles) and the
// direct convolution 144. Its transforms have larger coefficients (up to 8 in A, 5/2 in B, 16/15
// in G), so it rounds worse than F(2×2): with Lavin & Gray's points 0, ±1, ±2, ∞ the largest
// error on the seed CNNs' shapes was 10-17× F(2×2)'s; with 0, ±1, ½, -2, ∞ (Barabasz et al.,
// "Error analysis and improving the accuracy of Winograd convolution", 2020), here, 5-8×, at
// the same speed within the noise (its transforms take 3 more operations per line).
//
// The job, the work units (fixed blocks of `block` tiles, so the bits do not depend on the
// thread count), the per-position layout of V, U and M and the products are winograd_common.ts's,
// with 36 positions (position e = row · 6 + column) and 6 × 6 patches; so is the filter
// gradient, with dM = A dy A^T from 4×4 tiles of dy and dg = G^T dU G.
import { NR } from './gemm';
import { loadPart, storePart } from './tile';
import { fma } from './simd';
import {
  WinogradJob, convBlocks, finishStore, gradFilterGroups, loadStrided, partialFloats, patchTable, positionBytes, widthM, widthV,
} from './winograd_common';

/** Positions of a 6×6 transform. */
const POSITIONS = 36;

/**
 * Per-thread bytes before V: the patch's 36 pixel addresses (144), then 36 vectors between the
 * passes of a transform (576), to 64 bytes. HEAD of src/engine/wasm/winograd.ts F4.
 */
const TABLE = 0, PASS = 144, HEAD = 768;

/** Tiles across an output row and per image. */
@inline function tilesAcross(j: WinogradJob): i32 {
  return (j.outW + 3) >> 2;
}
@inline function tilesPerImage(j: WinogradJob): i32 {
  return ((j.outH + 3) >> 2) * tilesAcross(j);
}

/** a·x0 + b·x1 + c·x2: a row of G. */
@inline function gRow(x0: v128, x1: v128, x2: v128, a: f32, b: f32, c: f32): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(x0, f32x4.splat(a)), f32x4.mul(x1, f32x4.splat(b))), f32x4.mul(x2, f32x4.splat(c)));
}

/**
 * G (x0, x1, x2), G = [1 0 0; ⅓ ⅓ ⅓; -⅓ ⅓ -⅓; -16/15 -8/15 -4/15; 1/15 -2/15 4/15; 0 0 1], its
 * six values `stride` bytes apart from `at`.
 */
@inline function filterLine(x0: v128, x1: v128, x2: v128, at: usize, stride: usize): void {
  const even = f32x4.add(x0, x2);
  const third = f32x4.splat(<f32>(1.0 / 3));
  v128.store(at, x0);
  v128.store(at + stride, f32x4.mul(f32x4.add(even, x1), third));
  v128.store(at + 2 * stride, f32x4.mul(f32x4.sub(x1, even), third));
  v128.store(at + 3 * stride, gRow(x0, x1, x2, <f32>(-16.0 / 15), <f32>(-8.0 / 15), <f32>(-4.0 / 15)));
  v128.store(at + 4 * stride, gRow(x0, x1, x2, <f32>(1.0 / 15), <f32>(-2.0 / 15), <f32>(4.0 / 15)));
  v128.store(at + 5 * stride, x2);
}

/**
 * U = G g G^T for input channels [start, end), four output channels at a time; the filter is read
 * and U packed as winograd_filter (winograd.ts) does, with 36 positions. G's pass over the
 * filter's columns writes positions (r, 0..2), which its pass over each row r then reads and
 * overwrites with (r, 0..5).
 */
export function winograd4_filter(
  start: i32, end: i32, _tid: i32, u: usize, w: usize, tap: i32, rs: i32, cs: i32, flip: i32, inC: i32, outC: i32,
): void {
  const ld = widthM(outC);
  const position = <usize>inC * ld * 4, step = <usize>cs * 4;
  const tapBytes = <isize>tap * 4, dir: isize = flip ? -tapBytes : tapBytes;
  for (let ci = start; ci < end; ci++) {
    for (let co = 0; co < ld; co += 4) {
      const n = outC - co;
      const t0 = w + (<usize>ci * rs + <usize>co * cs) * 4 + <usize>(flip ? 8 * tapBytes : 0);
      const at = u + (<usize>(co / NR) * inC + ci) * NR * 4 + <usize>(co % NR) * 4;
      for (let kw = 0; kw < 3; kw++) {
        const col = t0 + <isize>kw * dir;
        filterLine(loadStrided(col, n, step), loadStrided(col + 3 * dir, n, step), loadStrided(col + 6 * dir, n, step),
          at + <usize>kw * position, 6 * position);
      }
      for (let r = 0; r < 6; r++) {
        const row = at + <usize>(6 * r) * position;
        filterLine(v128.load(row), v128.load(row + position), v128.load(row + 2 * position), row, position);
      }
    }
  }
}

/**
 * B^T (x0..x5), B^T = [1 -3/2 -2 3/2 1 0; 0 -1 ½ 5/2 1 0; 0 1 -5/2 ½ 1 0; 0 -2 -1 2 1 0;
 * 0 ½ -1 -½ 1 0; 0 1 -3/2 -2 3/2 1], its six values `stride` bytes apart from `at`.
 */
@inline function inputLine(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, at: usize, stride: usize): void {
  const c = f32x4.sub(x4, x2), d = f32x4.sub(x3, x1);
  v128.store(at, fma(d, f32x4.splat(1.5), fma(x2, f32x4.splat(-2), f32x4.add(x0, x4))));
  v128.store(at + stride, fma(x3, f32x4.splat(2.5), fma(x2, f32x4.splat(0.5), f32x4.sub(x4, x1))));
  v128.store(at + 2 * stride, fma(x2, f32x4.splat(-2.5), fma(x3, f32x4.splat(0.5), f32x4.add(x4, x1))));
  v128.store(at + 3 * stride, fma(d, f32x4.splat(2), c));
  v128.store(at + 4 * stride, fma(d, f32x4.splat(-0.5), c));
  v128.store(at + 5 * stride, fma(c, f32x4.splat(1.5), fma(x3, f32x4.splat(-2), f32x4.add(x1, x5))));
}

/**
 * Writes V = B^T d B for tiles [t0, t0 + count) into `v` (tile i of position e at row
 * e · (block + 1) + i), four channels at a time: B^T over each patch row into `pass` (transposed),
 * then over each of its columns into V.
 */
function transformInput(j: WinogradJob, t0: i32, count: i32, scratch: usize, v: usize): void {
  const rowBytes = <usize>widthV(j.inC) * 4, position = positionBytes(j, rowBytes);
  const table = scratch + TABLE, pass = scratch + PASS;
  for (let i = 0; i < count; i++) {
    patchTable(j, t0 + i, 4, 6, table);
    let dst = v + <usize>i * rowBytes;
    for (let ci = 0; ci < j.inC; ci += 4, dst += 16) {
      const n = j.inC - ci, off = <usize>ci * 4;
      for (let r = 0; r < 6; r++) {
        const row = table + <usize>r * 24;
        inputLine(loadPart(load<usize>(row) + off, n), loadPart(load<usize>(row, 4) + off, n),
          loadPart(load<usize>(row, 8) + off, n), loadPart(load<usize>(row, 12) + off, n),
          loadPart(load<usize>(row, 16) + off, n), loadPart(load<usize>(row, 20) + off, n),
          pass + <usize>r * 16, 96);
      }
      for (let c = 0; c < 6; c++) {
        const col = pass + <usize>c * 96;
        inputLine(v128.load(col), v128.load(col, 16), v128.load(col, 32), v128.load(col, 48), v128.load(col, 64), v128.load(col, 80),
          dst + <usize>c * position, 6 * position);
      }
    }
  }
}

/**
 * The four rows of A^T (A^T = [1 1 1 1 1 0; 0 1 -1 ½ -2 0; 0 1 1 ¼ 4 0; 0 1 -1 ⅛ -8 1]) applied
 * to (m0..m5), from s = m1 + m2 and d = m1 - m2.
 */
@inline function output0(m0: v128, s: v128, m3: v128, m4: v128): v128 {
  return f32x4.add(f32x4.add(m0, s), f32x4.add(m3, m4));
}
@inline function output1(d: v128, m3: v128, m4: v128): v128 {
  return fma(m4, f32x4.splat(-2), fma(m3, f32x4.splat(0.5), d));
}
@inline function output2(s: v128, m3: v128, m4: v128): v128 {
  return fma(m4, f32x4.splat(4), fma(m3, f32x4.splat(0.25), s));
}
@inline function output3(d: v128, m3: v128, m4: v128, m5: v128): v128 {
  return f32x4.add(fma(m4, f32x4.splat(-8), fma(m3, f32x4.splat(0.125), d)), m5);
}

/**
 * The output pixels of tiles [t0, t0 + count): A^T M A with bias and ReLU, four channels at a
 * time: A^T over each row of M into `pass` (transposed), then over each of its columns into
 * output pixels; a tile's pixels past the output's bottom or right edge are dropped.
 */
function transformOutput(j: WinogradJob, t0: i32, count: i32, scratch: usize, m: usize): void {
  const across = tilesAcross(j), perImage = tilesPerImage(j);
  const rowM = <usize>widthM(j.outC) * 4, position = positionBytes(j, rowM), pixelBytes = <usize>j.outC * 4;
  const lineBytes = <usize>j.outW * pixelBytes, pass = scratch + PASS;
  const relu = j.relu != 0;
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / across, tw = t % across;
    const oh = 4 * th, ow = 4 * tw, rows = min(4, j.outH - oh), cols = min(4, j.outW - ow);
    const y = j.out + ((<usize>b * j.outH + oh) * j.outW + ow) * pixelBytes;
    let src = m + <usize>i * rowM;
    for (let co = 0; co < j.outC; co += 4, src += 16) {
      const n = j.outC - co, off = <usize>co * 4;
      const bias = j.bias ? loadPart(j.bias + off, n) : f32x4.splat(0);
      for (let r = 0; r < 6; r++) {
        const at = src + <usize>(6 * r) * position;
        const m1 = v128.load(at + position), m2 = v128.load(at + 2 * position);
        const m3 = v128.load(at + 3 * position), m4 = v128.load(at + 4 * position);
        const s = f32x4.add(m1, m2), d = f32x4.sub(m1, m2);
        const to = pass + <usize>r * 16;
        v128.store(to, output0(v128.load(at), s, m3, m4));
        v128.store(to, output1(d, m3, m4), 96);
        v128.store(to, output2(s, m3, m4), 192);
        v128.store(to, output3(d, m3, m4, v128.load(at + 5 * position)), 288);
      }
      for (let c = 0; c < cols; c++) {
        const col = pass + <usize>c * 96, p = y + <usize>c * pixelBytes + off;
        const m1 = v128.load(col, 16), m2 = v128.load(col, 32), m3 = v128.load(col, 48), m4 = v128.load(col, 64);
        const s = f32x4.add(m1, m2), d = f32x4.sub(m1, m2);
        finishStore(p, output0(v128.load(col), s, m3, m4), bias, relu, n);
        if (rows > 1) finishStore(p + lineBytes, output1(d, m3, m4), bias, relu, n);
        if (rows > 2) finishStore(p + 2 * lineBytes, output2(s, m3, m4), bias, relu, n);
        if (rows > 3) finishStore(p + 3 * lineBytes, output3(d, m3, m4, v128.load(col, 80)), bias, relu, n);
      }
    }
  }
}

/** Convolution for tile blocks [start, end) of the job at `job` (a WinogradJob). */
export function winograd4_conv(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  convBlocks(j, start, end, tid, POSITIONS, j.batch * tilesPerImage(j), HEAD, transformInput, transformOutput);
}

/**
 * A (y0..y3), A = the transpose of transformOutput's A^T, its six values `stride` bytes apart:
 * y0, the sums (y0 + y2) ± (y1 + y3), y0 + ½y1 + ¼y2 + ⅛y3, y0 - 2y1 + 4y2 - 8y3, y3.
 */
@inline function gradOutputLine(y0: v128, y1: v128, y2: v128, y3: v128, at: usize, stride: usize): void {
  const even = f32x4.add(y0, y2), odd = f32x4.add(y1, y3);
  v128.store(at, y0);
  v128.store(at + stride, f32x4.add(even, odd));
  v128.store(at + 2 * stride, f32x4.sub(even, odd));
  v128.store(at + 3 * stride, fma(y3, f32x4.splat(0.125), fma(y2, f32x4.splat(0.25), fma(y1, f32x4.splat(0.5), y0))));
  v128.store(at + 4 * stride, fma(y3, f32x4.splat(-8), fma(y2, f32x4.splat(4), fma(y1, f32x4.splat(-2), y0))));
  v128.store(at + 5 * stride, y3);
}

/**
 * Writes dM = A dy A^T for tiles [t0, t0 + count) into `dm`, laid out as M is, four channels at a
 * time: A over each row of the 4×4 dy tile into `pass`, then over each of its six columns into
 * dM. dy's pixels past the output's bottom or right edge count as zeros.
 */
function transformGradOutput(j: WinogradJob, t0: i32, count: i32, scratch: usize, dm: usize): void {
  const across = tilesAcross(j), perImage = tilesPerImage(j);
  const rowM = <usize>widthM(j.outC) * 4, position = positionBytes(j, rowM), pixelBytes = <usize>j.ldy * 4;
  const lineBytes = <usize>j.outW * pixelBytes, pass = scratch + PASS;
  const zero = f32x4.splat(0);
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / across, tw = t % across;
    const oh = 4 * th, ow = 4 * tw, rows = min(4, j.outH - oh), cols = min(4, j.outW - ow);
    const y = j.dy + ((<usize>b * j.outH + oh) * j.outW + ow) * pixelBytes;
    let dst = dm + <usize>i * rowM;
    for (let co = 0; co < j.outC; co += 4, dst += 16) {
      const n = j.outC - co;
      for (let r = 0; r < 4; r++) {
        const line = y + <usize>r * lineBytes + <usize>co * 4, inside = r < rows;
        const y0 = inside ? loadPart(line, n) : zero;
        const y1 = inside && cols > 1 ? loadPart(line + pixelBytes, n) : zero;
        const y2 = inside && cols > 2 ? loadPart(line + 2 * pixelBytes, n) : zero;
        const y3 = inside && cols > 3 ? loadPart(line + 3 * pixelBytes, n) : zero;
        gradOutputLine(y0, y1, y2, y3, pass + <usize>r * 16, 64);
      }
      for (let c = 0; c < 6; c++) {
        const col = pass + <usize>c * 64;
        gradOutputLine(v128.load(col), v128.load(col, 16), v128.load(col, 32), v128.load(col, 48), dst + <usize>c * position, 6 * position);
      }
    }
  }
}

/** Partial dU of tile groups [start, end) of the job at `job` (a WinogradJob). */
export function winograd4_grad_filter(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<WinogradJob>(job);
  gradFilterGroups(j, start, end, tid, POSITIONS, j.batch * tilesPerImage(j), HEAD, transformInput, transformGradOutput);
}

/**
 * G^T (x0..x5), G^T the transpose of filterLine's G, its three values `stride` bytes apart
 * (`count` lanes of each): x0 + ⅓(x1 - x2) - 16/15 x3 + 1/15 x4; ⅓(x1 + x2) - 8/15 x3 - 2/15 x4;
 * ⅓(x1 - x2) - 4/15 x3 + 4/15 x4 + x5.
 */
@inline function filterGradLine(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, at: usize, stride: usize, count: i32): void {
  const third = f32x4.splat(<f32>(1.0 / 3));
  const sum = f32x4.mul(f32x4.add(x1, x2), third), diff = f32x4.mul(f32x4.sub(x1, x2), third);
  storePart(at, fma(x4, f32x4.splat(<f32>(1.0 / 15)), fma(x3, f32x4.splat(<f32>(-16.0 / 15)), f32x4.add(x0, diff))), count);
  storePart(at + stride, fma(x4, f32x4.splat(<f32>(-2.0 / 15)), fma(x3, f32x4.splat(<f32>(-8.0 / 15)), sum)), count);
  storePart(at + 2 * stride, fma(x4, f32x4.splat(<f32>(4.0 / 15)), fma(x3, f32x4.splat(<f32>(-4.0 / 15)), f32x4.add(diff, x5))), count);
}

/**
 * dg = G^T dU G for input channels [start, end), into the HWIO filter gradient as
 * winograd_grad_filter_finish (winograd.ts) writes it. G's pass over each row r of dU writes
 * positions (r, 0..2) in place; G^T's pass over each of those three columns writes the taps.
 */
export function winograd4_grad_filter_finish(start: i32, end: i32, _tid: i32, du: usize, dw: usize, inC: i32, outC: i32): void {
  const ldM = widthM(outC), position = partialFloats(1, inC, outC) * 4, tapBytes = <usize>inC * outC * 4;
  for (let ci = start; ci < end; ci++) {
    for (let co = 0; co < outC; co += 4) {
      const src = du + (<usize>ci * ldM + co) * 4;
      for (let r = 0; r < 6; r++) {
        const row = src + <usize>(6 * r) * position;
        filterGradLine(v128.load(row), v128.load(row + position), v128.load(row + 2 * position), v128.load(row + 3 * position),
          v128.load(row + 4 * position), v128.load(row + 5 * position), row, position, 4);
      }
      const at = dw + <usize>ci * outC * 4 + <usize>co * 4;
      for (let kw = 0; kw < 3; kw++) {
        const col = src + <usize>kw * position;
        filterGradLine(v128.load(col), v128.load(col + 6 * position), v128.load(col + 12 * position), v128.load(col + 18 * position),
          v128.load(col + 24 * position), v128.load(col + 30 * position), at + <usize>kw * tapBytes, 3 * tapBytes, outC - co);
      }
    }
  }
}
