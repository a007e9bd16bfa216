/**
 * WASM GEMM: the driver of the packed SGEMM in assembly/gemm.ts, shared with the convolutions.
 *
 * A job is described once in engine memory (the `Gemm` class of assembly/gemm.ts) because the
 * worker threads see only memory and the call's numeric arguments. B is packed by one parallel
 * pass, then output tiles are computed in another; tiles never share an output element and each
 * element's sum runs in the same order whatever the tiling, so the tiling may follow the thread
 * count without changing a bit of the result.
 */
import type { Conv2DParams, F32, GemmKernels, MatmulParams } from '../kernels.js';
import { MIN_PARALLEL_FLOPS, type WasmRuntime } from './runtime.js';

/** Register block (MR×NR) and k block of assembly/gemm.ts. */
const MR = 4;
const NR = 8;
const KC = 256;
/** Output rows per tile: an MC×KC block of packed A (64 KiB) stays in L2. */
const MC = 64;
/**
 * What one float written by a copy-like pass (packing, padding, masking) counts for against
 * MIN_PARALLEL_FLOPS: such passes write 2 to 4 floats per ns on one thread, where the GEMM does
 * about 30 flops, so a float takes the time of 8 flops or more. Counted as one flop, a pass of
 * 1M floats (0.4 ms) stayed on one thread.
 */
export const COPY_FLOPS = 8;

/** Where the A operand comes from; the values of assembly/gemm.ts A_*. */
export const A_MATRIX = 0;
export const A_IM2COL_T = 2;

/** The fields of assembly/gemm.ts `Gemm`, in its order (one i32 each). */
const FIELDS = [
  'm', 'n', 'k', 'aMode', 'a', 'rsA', 'csA', 'strideA', 'pb', 'strideB', 'c', 'ldc', 'strideC',
  'mc', 'nc', 'mTiles', 'nTiles', 'bias', 'relu', 'scratch', 'scratchStride',
  'batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'kH', 'kW', 'strideH', 'strideW',
  'dilationH', 'dilationW', 'padTop', 'padLeft',
] as const;

/**
 * One (batched) product C[t] = A[t] @ B[t], t < batch, with engine addresses and element
 * strides: A(i, l) = a[t * strideA + i * rsA + l * csA] (or im2col of the conv input at `a`
 * when aMode says so), B(l, j) = b[t * strideB + l * rsB + j * csB], C(i, j) at
 * c[t * m * n + i * ldc + j]. strideB 0 broadcasts B.
 */
export interface GemmSpec {
  batch: number;
  m: number;
  n: number;
  k: number;
  aMode: number;
  a: number;
  rsA: number;
  csA: number;
  strideA: number;
  b: number;
  rsB: number;
  csB: number;
  strideB: number;
  c: number;
  ldc: number;
  /** Bias (n floats) to add and ReLU to apply on the finished output; 0 and false for none. */
  bias: number;
  relu: boolean;
  /** Convolution geometry, which the im2col A modes read. */
  conv?: Conv2DParams;
}

/** Replaces the output-tile pass: `kernel(start, end, tid, job)` over `units`, with extra scratch. */
export interface GemmDriver {
  kernel: string;
  units: number;
  /** Per-thread scratch bytes needed after the A panels, given the tile height. */
  extraScratch: (mc: number) => number;
}

/** The geometry fields of a plain matrix product, which nothing reads. */
const NO_CONV: Conv2DParams = {
  batch: 0, inH: 0, inW: 0, inC: 0, outH: 0, outW: 0, outC: 0, kH: 0, kW: 0,
  strideH: 0, strideW: 0, dilationH: 0, dilationW: 0, padTop: 0, padLeft: 0,
};

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/**
 * Output tiles: MC rows by all columns, unless that leaves threads idle; then fewer rows per
 * tile (balanced across threads), and if still too few tiles, fewer columns.
 */
function tiling(m: number, n: number, batch: number, threads: number): { mc: number; nc: number } {
  let mTiles = Math.max(1, Math.ceil(m / MC));
  if (batch < threads) mTiles = Math.min(Math.ceil(m / MR), roundUp(mTiles, threads));
  const mc = Math.max(MR, roundUp(Math.ceil(m / mTiles), MR));
  const tiles = batch * Math.ceil(m / mc);
  const nTiles = threads > tiles ? Math.ceil(threads / tiles) : 1;
  return { mc, nc: roundUp(Math.ceil(n / nTiles), NR) };
}

/**
 * Packs B (each batch's, or the one broadcast when strideB is 0) into NR-wide panels over all of
 * k, zero-padded, as the micro-kernel reads it (assembly/gemm.ts gemm_pack_b); returns the address.
 */
export function packB(rt: WasmRuntime, s: Pick<GemmSpec, 'batch' | 'k' | 'n' | 'b' | 'rsB' | 'csB' | 'strideB'>): number {
  const panels = Math.ceil(s.n / NR);
  const packedBatches = s.strideB === 0 ? 1 : s.batch;
  const pb = rt.alloc(packedBatches * panels * s.k * NR * 4);
  const packArgs = [pb, s.b, s.rsB, s.csB, s.strideB, s.k, s.n];
  rt.parallel('gemm_pack_b', packedBatches * panels, packArgs, COPY_FLOPS * packedBatches * s.k * s.n);
  return pb;
}

/** Runs one GEMM job inside an `rt.call`: packs B, writes the job, runs the tile pass. */
export function runGemm(rt: WasmRuntime, s: GemmSpec, driver?: GemmDriver): void {
  const panels = Math.ceil(s.n / NR);
  const pb = packB(rt, s);
  const flops = 2 * s.batch * s.m * s.n * s.k;
  const threads = flops >= MIN_PARALLEL_FLOPS ? rt.threads : 1; // as rt.parallel decides
  const { mc, nc } = tiling(s.m, s.n, s.batch, threads);
  const scratchStride = roundUp(mc * KC * 4 + (driver?.extraScratch(mc) ?? 0), 64);
  const mTiles = Math.ceil(s.m / mc);
  const nTiles = Math.ceil(s.n / nc);
  const values: Record<(typeof FIELDS)[number], number> = {
    ...(s.conv ?? NO_CONV),
    m: s.m, n: s.n, k: s.k, aMode: s.aMode, a: s.a, rsA: s.rsA, csA: s.csA, strideA: s.strideA,
    pb, strideB: s.strideB === 0 ? 0 : panels * NR * s.k, c: s.c, ldc: s.ldc, strideC: s.m * s.n,
    mc, nc, mTiles, nTiles, bias: s.bias, relu: s.relu ? 1 : 0,
    scratch: rt.alloc(scratchStride * threads), scratchStride,
  };
  const job = rt.alloc(FIELDS.length * 4);
  rt.i32(job, FIELDS.length).set(FIELDS.map((f) => values[f]));
  if (driver) rt.parallel(driver.kernel, driver.units, [job], flops);
  else rt.parallel('gemm_compute', s.batch * mTiles * nTiles, [job], flops);
}

export function gemmKernels(rt: WasmRuntime): GemmKernels {
  return {
    /** Packed SGEMM, see MatmulParams; transposes are folded into the packing. */
    matmul(a: F32, b: F32, out: F32, p: MatmulParams): void {
      const { m, n, k } = p;
      rt.call([a, b], [out], ([pa, pb], [po]) => runGemm(rt, {
        batch: p.batch, m, n, k, aMode: A_MATRIX, a: pa,
        rsA: p.transA ? 1 : k, csA: p.transA ? m : 1, strideA: p.strideA,
        b: pb, rsB: p.transB ? 1 : n, csB: p.transB ? k : 1, strideB: p.strideB,
        c: po, ldc: n, bias: 0, relu: false,
      }));
    },
  };
}
