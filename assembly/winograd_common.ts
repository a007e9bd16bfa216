// What the Winograd kernels F(2×2, 3×3) (winograd.ts) and F(4×4, 3×3) (winograd4.ts) share: the
// job, the layout of the transformed operands, and the products between transforms. Not
// re-exported by index.ts: functions with v128 parameters cannot be module exports.
//
// Layout: position e (of 16 or 36) of tile i sits at row e · (block + 1) + i of V (widthV floats
// per row) or of M and dM (widthM floats); U's positions are packed as gemm_pack_b packs B.
import { NR } from './gemm';
import { loadPart, storePart, storeTile } from './tile';
import { fma } from './simd';

/**
 * A job of the winograd kernels, written by src/engine/wasm/winograd.ts (FIELDS, same order).
 * x's pixels are `ldx` floats apart (the padded rows of g for an input gradient); u holds the
 * transformed filters; `zeros` holds a row of V's width of zeros, read for patch pixels outside
 * the image. The filter gradient reads dy's pixels `ldy` floats apart and writes group g's
 * partial dU at partial + g · partialFloats floats; a group is `groupBlocks` blocks.
 */
@unmanaged export class WinogradJob {
  x: usize; ldx: i32; u: usize; bias: usize; relu: i32; out: usize; zeros: usize;
  scratch: usize; scratchStride: i32; block: i32;
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32; padTop: i32; padLeft: i32;
  dy: usize; ldy: i32; partial: usize; groupBlocks: i32;
}

/** Floats per row of V: inC rounded up to whole vectors. */
@inline export function widthV(inC: i32): i32 {
  return (inC + 3) & ~3;
}

/** Floats per row of M and of U's panels: outC rounded up to whole NR panels. */
@inline export function widthM(outC: i32): i32 {
  return (outC + NR - 1) / NR * NR;
}

/**
 * Bytes from one position's rows of V (or M) to the next's: a block's rows and one more, so the
 * positions of a tile do not all fall in one L1 set when a block's bytes are a multiple of 4 KiB
 * (64 tiles of 32 channels: F(2×2)'s input transform took 6 times as long, its output transform twice).
 */
@inline export function positionBytes(j: WinogradJob, rowBytes: usize): usize {
  return <usize>(j.block + 1) * rowBytes;
}

/** Floats of one group's partial dU: `positions` positions of widthV(inC) rows × widthM(outC). */
@inline export function partialFloats(positions: i32, inC: i32, outC: i32): usize {
  return <usize>positions * widthV(inC) * widthM(outC);
}

/**
 * Writes to `table` the addresses of tile t's `patch` × `patch` input pixels, row-major: tiles
 * are `side` × `side` output pixels, numbered across images and row-major within each; a pixel
 * outside the image (padding) reads the job's zeros row.
 */
@inline export function patchTable(j: WinogradJob, t: i32, side: i32, patch: i32, table: usize): void {
  const across = (j.outW + side - 1) / side, perImage = (j.outH + side - 1) / side * across;
  const b = t / perImage, ih0 = side * ((t % perImage) / across) - j.padTop, iw0 = side * (t % across) - j.padLeft;
  const pixelBytes = <usize>j.ldx * 4;
  for (let r = 0; r < patch; r++) {
    for (let c = 0; c < patch; c++) {
      const ih = ih0 + r, iw = iw0 + c;
      const inside = (<u32>ih < <u32>j.inH) & (<u32>iw < <u32>j.inW);
      const at = j.x + ((<usize>b * j.inH + ih) * j.inW + iw) * pixelBytes;
      store<usize>(table + <usize>(r * patch + c) * 4, select<usize>(at, j.zeros, inside));
    }
  }
}

/** Lanes [0, count) of src[l · step bytes], zeros after: four output channels of a filter tap. */
@inline export function loadStrided(src: usize, count: i32, step: usize): v128 {
  if (step == 4) return loadPart(src, count);
  let v = f32x4.splat(0);
  if (count > 0) v = v128.load32_lane(src, v, 0);
  if (count > 1) v = v128.load32_lane(src + step, v, 1);
  if (count > 2) v = v128.load32_lane(src + 2 * step, v, 2);
  if (count > 3) v = v128.load32_lane(src + 3 * step, v, 3);
  return v;
}

/**
 * Stores `count` (< 4 means a channel tail) lanes of act(v + bias) at p. ReLU is pmax(v, 0):
 * one maxps, where f32x4.max's NaN and -0 rules compile to eight instructions.
 */
@inline export function finishStore(p: usize, v: v128, bias: v128, relu: bool, count: i32): void {
  v = f32x4.add(v, bias);
  if (relu) v = f32x4.pmax(v, f32x4.splat(0));
  storePart(p, v, count);
}

/**
 * M = V @ U for each of the `positions` positions, rows [0, rows) (a multiple of MR = 4): blocks
 * of 4 tiles × NR channels accumulated in registers over inC in order, as gemm.ts's
 * micro-kernel does, with V's rows read in place (broadcast) and U's panels as packed.
 */
export function multiply(j: WinogradJob, positions: i32, rows: i32, v: usize, m: usize): void {
  const rowV = <usize>widthV(j.inC) * 4, ldM = widthM(j.outC), rowM = <usize>ldM * 4;
  const panelBytes = <usize>j.inC * NR * 4;
  for (let e = 0; e < positions; e++) {
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

/**
 * acc[e] += V[e]^T @ dM[e] over `count` tiles, for each of the `positions` positions: blocks of
 * 4 input × NR output channels accumulated in registers over the tiles in order, then added to acc
 * (rows widthM floats).
 */
export function accumulate(j: WinogradJob, positions: i32, count: i32, v: usize, dm: usize, acc: usize): void {
  const wv = widthV(j.inC), ldM = widthM(j.outC);
  const rowV = <usize>wv * 4, rowM = <usize>ldM * 4;
  for (let e = 0; e < positions; e++) {
    const ve = v + <usize>e * positionBytes(j, rowV), me = dm + <usize>e * positionBytes(j, rowM);
    const ae = acc + <usize>e * wv * rowM;
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
        const at = ae + <usize>ci * rowM + <usize>n0 * 4;
        addTo(at, c00); addTo(at + 16, c01);
        addTo(at + rowM, c10); addTo(at + rowM + 16, c11);
        addTo(at + 2 * rowM, c20); addTo(at + 2 * rowM + 16, c21);
        addTo(at + 3 * rowM, c30); addTo(at + 3 * rowM + 16, c31);
      }
    }
  }
}

@inline function addTo(at: usize, v: v128): void {
  v128.store(at, f32x4.add(v128.load(at), v));
}

/** A transform of tiles [t0, t0 + count) between image pixels and rows of V, M or dM, with the thread's scratch head. */
export type Transform = (j: WinogradJob, t0: i32, count: i32, scratch: usize, rows: usize) => void;

/** The start of thread `tid`'s scratch: its `head` bytes, then V, then M (or dM). */
@inline function threadScratch(j: WinogradJob, tid: i32): usize {
  return j.scratch + <usize>tid * j.scratchStride;
}

/**
 * Convolution of tile blocks [start, end) of `tiles`: each block's patches transformed by `input`
 * into V, multiplied, and transformed back by `output` from M.
 */
export function convBlocks(
  j: WinogradJob, start: i32, end: i32, tid: i32, positions: i32, tiles: i32, head: usize, input: Transform, output: Transform,
): void {
  const scratch = threadScratch(j, tid), v = scratch + head;
  const m = v + <usize>positions * positionBytes(j, <usize>widthV(j.inC) * 4);
  for (let u = start; u < end; u++) {
    const t0 = u * j.block, count = min(j.block, tiles - t0);
    input(j, t0, count, scratch, v);
    multiply(j, positions, (count + 3) & ~3, v, m);
    output(j, t0, count, scratch, m);
  }
}

/**
 * Partial dU of tile groups [start, end) of `tiles`: each block's patches transformed by `input`
 * into V, its dy tiles by `gradOutput` into dM, and V^T dM added into the group's partial.
 */
export function gradFilterGroups(
  j: WinogradJob, start: i32, end: i32, tid: i32, positions: i32, tiles: i32, head: usize, input: Transform, gradOutput: Transform,
): void {
  const blocks = (tiles + j.block - 1) / j.block;
  const scratch = threadScratch(j, tid), v = scratch + head;
  const dm = v + <usize>positions * positionBytes(j, <usize>widthV(j.inC) * 4);
  const groupBytes = partialFloats(positions, j.inC, j.outC) * 4;
  for (let g = start; g < end; g++) {
    const acc = j.partial + <usize>g * groupBytes;
    memory.fill(acc, 0, groupBytes);
    const last = min((g + 1) * j.groupBlocks, blocks);
    for (let k = g * j.groupBlocks; k < last; k++) {
      const t0 = k * j.block, count = min(j.block, tiles - t0);
      input(j, t0, count, scratch, v);
      gradOutput(j, t0, count, scratch, dm);
      accumulate(j, positions, count, v, dm, acc);
    }
  }
}
