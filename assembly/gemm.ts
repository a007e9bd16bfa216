// Kernel family 'gemm': a packed SGEMM (see src/engine/kernels.ts for the contract), also the
// machinery the convolutions run on.
//
// C (m×n) = A (m×k) @ B (k×n). B is packed once, by gemm_pack_b, into NR-wide column panels that
// hold all of k. gemm_compute then walks output tiles; for every KC-deep slice of k it packs the
// tile's rows of A into MR-tall panels (per-thread scratch) and runs the MR×NR register-blocked
// micro-kernel over them. Each output element is accumulated in the same order (KC blocks in
// order, k in order inside a block) whatever the tiling, so the bits do not depend on how tiles
// are shared among threads.
import { fma } from './simd';
import { loadPart, storeTile } from './tile';
import { packIm2colColumns } from './conv';

export const MR = 4;
export const NR = 8;
export const KC = 256;

/** Where the micro-kernel's A operand comes from (Gemm.aMode). */
export const A_MATRIX = 0; // A(i, l) = a[i * rsA + l * csA]
export const A_IM2COL_T = 2; // A(i, l) = im2col(x)[l][i]: convolution filter gradient

/**
 * One GEMM job, written into engine memory by src/engine/wasm/gemm.ts (FIELDS, same
 * order) because worker threads only see memory and the call's arguments. Sizes, strides and
 * offsets are in elements; the convolution geometry is read by the im2col packers only.
 */
@global @unmanaged class Gemm {
  m: i32; n: i32; k: i32;
  aMode: i32; a: usize; rsA: i32; csA: i32; strideA: i32;
  pb: usize; strideB: i32; // packed B and its per-batch stride (0 broadcasts)
  c: usize; ldc: i32; strideC: i32;
  mc: i32; nc: i32; mTiles: i32; nTiles: i32; // output tiles: the work units
  bias: usize; relu: i32;
  scratch: usize; scratchStride: i32; // per-thread bytes at scratch + tid * scratchStride
  batch: i32; inH: i32; inW: i32; inC: i32; outH: i32; outW: i32; outC: i32;
  kH: i32; kW: i32; strideH: i32; strideW: i32; dilationH: i32; dilationW: i32; padTop: i32; padLeft: i32;
}

/**
 * C[rows×cols] (+)= Apanel @ Bpanel over kc steps, rows <= MR and cols <= NR; the panels are
 * zero-padded to MR and NR. With `epilogue` (the last k block) the tile is finished: bias added
 * (when `bias` is not 0), ReLU applied when asked.
 */
function microTile(
  kc: i32, ap: usize, bp: usize, c: usize, ldcBytes: usize, rows: i32, cols: i32,
  accumulate: bool, epilogue: bool, bias: usize, relu: bool,
): void {
  const n0 = min(cols, 4);
  const n1 = cols - 4;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (accumulate) {
    c00 = loadPart(c, n0); c01 = loadPart(c + 16, n1);
    if (rows > 1) { c10 = loadPart(c + ldcBytes, n0); c11 = loadPart(c + ldcBytes + 16, n1); }
    if (rows > 2) { c20 = loadPart(c + 2 * ldcBytes, n0); c21 = loadPart(c + 2 * ldcBytes + 16, n1); }
    if (rows > 3) { c30 = loadPart(c + 3 * ldcBytes, n0); c31 = loadPart(c + 3 * ldcBytes + 16, n1); }
  }
  for (let l = 0; l < kc; l++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = fma(a, b0, c00); c01 = fma(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = fma(a, b0, c10); c11 = fma(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = fma(a, b0, c20); c21 = fma(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = fma(a, b0, c30); c31 = fma(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  storeTile(c, ldcBytes, rows, cols, epilogue, bias, relu, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * Packs B (element (l, j) at b[l * rs + j * cs], batch t at t * strideB) into NR-wide panels
 * over all of k, zero-padded: panel j of batch t at dst + (t * panels + j) * k * NR floats.
 * Units: batch × panels.
 */
export function gemm_pack_b(
  start: i32, end: i32, _tid: i32, dst: usize, b: usize, rs: i32, cs: i32, strideB: i32, k: i32, n: i32,
): void {
  const panels = (n + NR - 1) / NR;
  for (let u = start; u < end; u++) {
    const t = u / panels;
    const j0 = (u % panels) * NR;
    const cols = min(NR, n - j0);
    let src = b + (<usize>t * strideB + <usize>j0 * cs) * 4;
    let out = dst + <usize>u * k * NR * 4;
    const rowBytes = <usize>rs * 4;
    if (cs == 1 && cols == NR) {
      for (let l = 0; l < k; l++, src += rowBytes, out += NR * 4) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
    } else {
      for (let l = 0; l < k; l++, src += rowBytes, out += NR * 4) {
        for (let j = 0; j < NR; j++) store<f32>(out + j * 4, j < cols ? load<f32>(src + <usize>j * cs * 4) : 0);
      }
    }
  }
}

/** Read-only zeros standing in for missing rows and padding pixels; no packed run is longer than KC. */
export const ZEROS: usize = memory.data(KC * 4, 16);

/**
 * Writes the 4×len block of rows s0..s3 transposed: out[j * 4 + i] = s_i[j]. This is how an
 * MR-tall A panel holds a stretch of four rows of A.
 */
function interleave4(s0: usize, s1: usize, s2: usize, s3: usize, len: i32, out: usize): void {
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const o = <usize>j * 4;
    const r0 = v128.load(s0 + o), r1 = v128.load(s1 + o), r2 = v128.load(s2 + o), r3 = v128.load(s3 + o);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const dst = out + o * 4;
    v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
    v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
    v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
    v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
  }
  for (; j < len; j++) {
    const o = <usize>j * 4;
    const dst = out + o * 4;
    store<f32>(dst, load<f32>(s0 + o));
    store<f32>(dst, load<f32>(s1 + o), 4);
    store<f32>(dst, load<f32>(s2 + o), 8);
    store<f32>(dst, load<f32>(s3 + o), 12);
  }
}

/** Packs rows [i0, i0 + rows) × k [l0, l0 + kc) of a strided matrix into zero-padded MR panels. */
function packMatrix(a: usize, rs: i32, cs: i32, i0: i32, rows: i32, l0: i32, kc: i32, dst: usize): void {
  const rowBytes = <usize>rs * 4, colBytes = <usize>cs * 4;
  for (let p = 0; p < rows; p += MR) {
    const panel = dst + <usize>p * kc * 4;
    const first = a + <usize>(i0 + p) * rowBytes + <usize>l0 * colBytes;
    if (cs == 1) {
      // Rows are contiguous: transpose 4×4 blocks; rows past the matrix read as zeros.
      const s1 = p + 1 < rows ? first + rowBytes : ZEROS;
      const s2 = p + 2 < rows ? first + 2 * rowBytes : ZEROS;
      const s3 = p + 3 < rows ? first + 3 * rowBytes : ZEROS;
      interleave4(first, s1, s2, s3, kc, panel);
      continue;
    }
    if (rs == 1 && p + MR <= rows) {
      // Transposed A: the panel's four rows sit side by side in memory.
      for (let l = 0; l < kc; l++) v128.store(panel + <usize>l * MR * 4, v128.load(first + <usize>l * colBytes));
      continue;
    }
    for (let i = 0; i < MR; i++) {
      const out = panel + i * 4;
      if (p + i >= rows) {
        for (let l = 0; l < kc; l++) store<f32>(out + <usize>l * MR * 4, 0);
        continue;
      }
      const src = first + <usize>i * rowBytes;
      for (let l = 0; l < kc; l++) store<f32>(out + <usize>l * MR * 4, load<f32>(src + <usize>l * colBytes));
    }
  }
}

function packA(g: Gemm, t: i32, i0: i32, rows: i32, l0: i32, kc: i32, dst: usize): void {
  // Batch t of a filter gradient sums the k pixels that follow batch t - 1's.
  if (g.aMode == A_IM2COL_T) packIm2colColumns(g, i0, rows, t * g.k + l0, kc, dst);
  else packMatrix(g.a + <usize>t * g.strideA * 4, g.rsA, g.csA, i0, rows, l0, kc, dst);
}

/**
 * Computes output rows [i0, i0 + rows) × columns [j0, j0 + cols) of batch t into c (row
 * stride ldc elements); j0 is a multiple of NR. `aScratch` holds MR-panels of rows × KC.
 */
export function gemmTile(
  g: Gemm, t: i32, i0: i32, rows: i32, j0: i32, cols: i32, c: usize, ldc: i32, aScratch: usize,
): void {
  const k = g.k;
  const ldcBytes = <usize>ldc * 4;
  const pb = g.pb + (<usize>t * g.strideB + <usize>(j0 / NR) * k * NR) * 4;
  // At least one block, even for k = 0: it writes the zeros (and bias) of an empty sum.
  for (let l0 = 0; l0 < k || l0 == 0; l0 += KC) {
    const kc = min(KC, k - l0);
    packA(g, t, i0, rows, l0, kc, aScratch);
    const epilogue = l0 + kc == k && (g.bias != 0 || g.relu != 0);
    for (let jp = 0; jp < cols; jp += NR) {
      const bp = pb + (<usize>jp * k + <usize>l0 * NR) * 4;
      const bias = g.bias ? g.bias + <usize>(j0 + jp) * 4 : 0;
      for (let ip = 0; ip < rows; ip += MR) {
        microTile(
          kc, aScratch + <usize>ip * kc * 4, bp, c + <usize>ip * ldcBytes + <usize>jp * 4, ldcBytes,
          min(MR, rows - ip), min(NR, cols - jp), l0 > 0, epilogue, bias, g.relu != 0,
        );
      }
    }
  }
}

/** C tiles [start, end) of the job at `job` (a Gemm); units: batch × mTiles × nTiles. */
export function gemm_compute(start: i32, end: i32, tid: i32, job: usize): void {
  const g = changetype<Gemm>(job);
  const perBatch = g.mTiles * g.nTiles;
  const scratch = g.scratch + <usize>tid * g.scratchStride;
  for (let u = start; u < end; u++) {
    const t = u / perBatch;
    const i0 = ((u % perBatch) / g.nTiles) * g.mc;
    const j0 = (u % g.nTiles) * g.nc;
    const c = g.c + (<usize>t * g.strideC + <usize>i0 * g.ldc + <usize>j0) * 4;
    gemmTile(g, t, i0, min(g.mc, g.m - i0), j0, min(g.nc, g.n - j0), c, g.ldc, scratch);
  }
}
