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
// thread count) and the per-position layout of V, U and M are winograd.ts's, with 36 positions
// (position e = row · 6 + column) and 6 × 6 patches.
import { NR } from './gemm';
import { loadPart, storeTile } from './tile';
import { fma } from './simd';

/** A job of winograd4_conv, written by src/engine/wasm/winograd4.ts; the fields of winograd.ts's WinogradJob. */
@unmanaged class Winograd4Job {
  x: usize; ldx: i32; u: usize; bias: usize; relu: i32; out: usize; zeros: usize;
  scratch: usize; scratchStride: i32; block: i32;
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32; padTop: i32; padLeft: i32;
}

/** Positions of a 6×6 transform. */
const POSITIONS = 36;

/** Per-thread bytes before V: the patch's 36 pixel addresses (144), a spill vector (16), 36 vectors between the passes of a transform (576), to 64 bytes. */
const TABLE = 0, SPILL = 144, PASS = 160, HEAD = 768;

/** Floats per row of V (inC in whole vectors) and per row of M and of U's panels (outC in whole NR panels). */
@inline function widthV(inC: i32): i32 {
  return (inC + 3) & ~3;
}
@inline function widthM(outC: i32): i32 {
  return (outC + NR - 1) / NR * NR;
}

/** Bytes from one position's rows of V (or M) to the next's: a block's rows and one more (see winograd.ts positionBytes). */
@inline function positionBytes(j: Winograd4Job, rowBytes: usize): usize {
  return <usize>(j.block + 1) * rowBytes;
}

/** Tiles across an output row and per image. */
@inline function tilesAcross(j: Winograd4Job): i32 {
  return (j.outW + 3) >> 2;
}
@inline function tilesPerImage(j: Winograd4Job): i32 {
  return ((j.outH + 3) >> 2) * tilesAcross(j);
}

/** Lanes [0, count) of src[l · step bytes], zeros after: four output channels of a filter tap. */
@inline function gatherTap(src: usize, count: i32, step: usize): v128 {
  if (step == 4) return loadPart(src, count);
  let v = f32x4.splat(0);
  if (count > 0) v = v128.load32_lane(src, v, 0);
  if (count > 1) v = v128.load32_lane(src + step, v, 1);
  if (count > 2) v = v128.load32_lane(src + 2 * step, v, 2);
  if (count > 3) v = v128.load32_lane(src + 3 * step, v, 3);
  return v;
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
        filterLine(gatherTap(col, n, step), gatherTap(col + 3 * dir, n, step), gatherTap(col + 6 * dir, n, step),
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
function transformInput(j: Winograd4Job, t0: i32, count: i32, scratch: usize, v: usize): void {
  const across = tilesAcross(j), perImage = tilesPerImage(j);
  const pixelBytes = <usize>j.ldx * 4, rowBytes = <usize>widthV(j.inC) * 4, position = positionBytes(j, rowBytes);
  const table = scratch + TABLE, pass = scratch + PASS;
  for (let i = 0; i < count; i++) {
    const t = t0 + i, b = t / perImage, th = (t % perImage) / across, tw = t % across;
    const ih0 = 4 * th - j.padTop, iw0 = 4 * tw - j.padLeft;
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const ih = ih0 + r, iw = iw0 + c;
        const inside = (<u32>ih < <u32>j.inH) & (<u32>iw < <u32>j.inW);
        const at = j.x + ((<usize>b * j.inH + ih) * j.inW + iw) * pixelBytes;
        store<usize>(table + <usize>(r * 6 + c) * 4, select<usize>(at, j.zeros, inside));
      }
    }
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
 * M = V @ U for each of the 36 positions, rows [0, rows) (a multiple of MR = 4): winograd.ts's
 * multiply, with 4 tiles × NR channels accumulated in registers over inC in order.
 */
function multiply(j: Winograd4Job, rows: i32, v: usize, m: usize): void {
  const rowV = <usize>widthV(j.inC) * 4, ldM = widthM(j.outC), rowM = <usize>ldM * 4;
  const panelBytes = <usize>j.inC * NR * 4;
  for (let e = 0; e < POSITIONS; e++) {
    const ve = v + <usize>e * positionBytes(j, rowV), me = m + <usize>e * positionBytes(j, rowM);
    const ue = j.u + <usize>e * j.inC * ldM * 4;
    for (let n0 = 0; n0 < ldM; n0 += NR) {
      const panel = ue + <usize>(n0 / NR) * panelBytes, panelEnd = panel + panelBytes;
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
 * The output pixels of tiles [t0, t0 + count): A^T M A with bias and ReLU, four channels at a
 * time: A^T over each row of M into `pass` (transposed), then over each of its columns into
 * output pixels; a tile's pixels past the output's bottom or right edge are dropped.
 */
function transformOutput(j: Winograd4Job, t0: i32, count: i32, m: usize, scratch: usize): void {
  const across = tilesAcross(j), perImage = tilesPerImage(j);
  const rowM = <usize>widthM(j.outC) * 4, position = positionBytes(j, rowM), pixelBytes = <usize>j.outC * 4;
  const lineBytes = <usize>j.outW * pixelBytes, pass = scratch + PASS, spill = scratch + SPILL;
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
        finishStore(p, output0(v128.load(col), s, m3, m4), bias, relu, n, spill);
        if (rows > 1) finishStore(p + lineBytes, output1(d, m3, m4), bias, relu, n, spill);
        if (rows > 2) finishStore(p + 2 * lineBytes, output2(s, m3, m4), bias, relu, n, spill);
        if (rows > 3) finishStore(p + 3 * lineBytes, output3(d, m3, m4, v128.load(col, 80)), bias, relu, n, spill);
      }
    }
  }
}

/** Convolution for tile blocks [start, end) of the job at `job` (a Winograd4Job). */
export function winograd4_conv(start: i32, end: i32, tid: i32, job: usize): void {
  const j = changetype<Winograd4Job>(job);
  const tiles = j.batch * tilesPerImage(j);
  const scratch = j.scratch + <usize>tid * j.scratchStride;
  const v = scratch + HEAD;
  const m = v + <usize>POSITIONS * positionBytes(j, <usize>widthV(j.inC) * 4);
  for (let u = start; u < end; u++) {
    const t0 = u * j.block, count = min(j.block, tiles - t0);
    transformInput(j, t0, count, scratch, v);
    multiply(j, (count + 3) & ~3, v, m);
    transformOutput(j, t0, count, m, scratch);
  }
}
