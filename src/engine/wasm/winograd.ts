/**
 * WASM Winograd convolution: 3×3, stride-1, dilation-1 convolutions by F(2×2, 3×3)
 * (assembly/winograd.ts; 16 multiplications per 2×2 output tile and channel pair instead of 36)
 * or F(4×4, 3×3) (assembly/winograd4.ts; 36 per 4×4 tile instead of 144, rounding several times
 * worse). The filter is transformed on every call (weights change each step); input tiles are
 * transformed, multiplied and transformed back block by block inside one parallel pass. The
 * filter gradient runs the same transforms transposed, summing over tiles instead of channels.
 */
import type { Conv2DParams } from '../kernels.js';
import { COPY_FLOPS } from './gemm.js';
import { sumPartials } from './reduction.js';
import type { WasmRuntime } from './runtime.js';

/** NR of assembly/gemm.ts: U's panels and M's rows are whole multiples of it. */
const NR = 8;
/** Bytes of V and M per work unit: a block of tiles whose transforms stay in L2 (512 KiB) beside U. */
const BLOCK_BYTES = 256 * 1024;
/** Work units a job makes at least, when it has enough tiles: one per thread of the largest pool (8). */
const MIN_UNITS = 8;

/** The fields of assembly/winograd_common.ts `WinogradJob`, in its order (one i32 each). */
const FIELDS = [
  'x', 'ldx', 'u', 'bias', 'relu', 'out', 'zeros', 'scratch', 'scratchStride', 'block',
  'batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'padTop', 'padLeft',
  'dy', 'ldy', 'partial', 'groupBlocks',
] as const;
type JobFields = Record<(typeof FIELDS)[number], number>;

/**
 * Filter-gradient groups a job makes at most: each adds its tiles into a partial dU of its own
 * (16 or 36 · inC·outC floats), so more groups share the work more evenly and cost more to sum.
 */
const MAX_GROUPS = 16;

/** One of the two algorithms: its output tile's side, transform positions, scratch head and kernels. */
export interface Tiling {
  tile: number;
  positions: number;
  /** HEAD of its assembly file: per-thread scratch bytes before V. */
  head: number;
  kernels: { filter: string; conv: string; gradFilter: string; finish: string };
}

export const F2: Tiling = {
  tile: 2, positions: 16, head: 64,
  kernels: { filter: 'winograd_filter', conv: 'winograd_conv', gradFilter: 'winograd_grad_filter', finish: 'winograd_grad_filter_finish' },
};
export const F4: Tiling = {
  tile: 4, positions: 36, head: 768,
  kernels: { filter: 'winograd4_filter', conv: 'winograd4_conv', gradFilter: 'winograd4_grad_filter', finish: 'winograd4_grad_filter_finish' },
};

/** Multiplications per image of `t` on p's output (tiles padded to whole tiles). */
const multiplications = (t: Tiling, p: Conv2DParams) => t.positions * Math.ceil(p.outH / t.tile) * Math.ceil(p.outW / t.tile);

/**
 * F(4×4) runs where it does at most this share of F(2×2)'s multiplications. Measured against
 * F(2×2) at 0.56-0.73 of its multiplications (M3 conv2d_1 and M1 conv2, forward and input
 * gradient, both SIMD builds): 1.2-1.6× faster.
 */
const F4_SHARE = 0.8;

/** The tiling that computes `p` with the fewer multiplications, F(2×2) unless F(4×4) clearly saves. */
export function winogradTiling(p: Conv2DParams): Tiling {
  return multiplications(F4, p) <= F4_SHARE * multiplications(F2, p) ? F4 : F2;
}

/** Fewer channels than this on either side, and the transforms cost more than the multiplications saved. */
const MIN_CHANNELS = 16;
/** Fewer tiles than this, and the filter transform's pass of its own costs more than the saving (M1 conv2 at batch 2). */
const MIN_TILES = 128;
/**
 * Winograd runs where the direct kernels would do at least this many times its multiplications
 * (16 per tile, tiles padded to whole 2×2 blocks): below it, the transforms and the padding eat
 * the saving. M1 conv2's input gradient (1.39×) measured 1.08-1.14× faster on the relaxed-SIMD
 * build, 0.97× on the plain one, whose multiplications gain less.
 */
const MIN_SAVING = { relaxed: 1.3, plain: 1.5 };

/** Whether Winograd (either tiling) can compute the convolution `p`. */
function winogradFits(p: Conv2DParams): boolean {
  return p.kH === 3 && p.kW === 3 && p.strideH === 1 && p.strideW === 1 && p.dilationH === 1 && p.dilationW === 1;
}

/**
 * Whether winogradConv beats the direct kernels on `p` on the relaxed-SIMD build or the plain
 * one, where the direct computation (the forward's, or the input gradient's GEMM) sums 9 taps
 * for `directPixels` pixels per image. Judged on F(2×2)'s multiplications, as measured before
 * F(4×4) existed: F(4×4) runs only where it does fewer, so the rule errs towards the direct kernels.
 */
export function winogradPays(p: Conv2DParams, relaxed: boolean, directPixels = p.outH * p.outW): boolean {
  const tiles = Math.ceil(p.outH / 2) * Math.ceil(p.outW / 2);
  const saving = (9 * directPixels) / (16 * tiles);
  return winogradFits(p) && Math.min(p.inC, p.outC) >= MIN_CHANNELS && p.batch * tiles >= MIN_TILES
    && saving >= MIN_SAVING[relaxed ? 'relaxed' : 'plain'];
}

/**
 * The convolution whose output is the input gradient of `p`: dx is the 'full'
 * correlation of dy with the filter rotated by 180° and its channels swapped (hwioTransposed),
 * itself a 3×3 stride-1 convolution; null when p is not a 3×3 stride-1 convolution or its padding
 * is wider than 2 pixels.
 */
export function winogradGradInput(p: Conv2DParams): Conv2DParams | null {
  if (!winogradFits(p) || p.padTop > 2 || p.padLeft > 2) return null;
  return {
    ...p, inH: p.outH, inW: p.outW, inC: p.outC, outH: p.inH, outW: p.inW, outC: p.inC, padTop: 2 - p.padTop, padLeft: 2 - p.padLeft,
  };
}

/** The filter as winograd_filter reads it: tap (kh, kw) of channels (ci, co) at w[(kh·3 + kw)·tap + ci·rs + co·cs], rotated by 180° with `flip`. */
export interface WinogradFilter {
  w: number;
  tap: number;
  rs: number;
  cs: number;
  flip: boolean;
}

/** An HWIO filter of `p` as it is (a forward convolution's). */
export const hwio = (w: number, p: Conv2DParams): WinogradFilter => ({ w, tap: p.inC * p.outC, rs: p.outC, cs: 1, flip: false });

/** The HWIO filter of `p` rotated by 180°, input and output channels swapped: the filter of winogradGradInput(p). */
export const hwioTransposed = (w: number, p: Conv2DParams): WinogradFilter => ({ w, tap: p.inC * p.outC, rs: 1, cs: p.outC, flip: true });

/**
 * out = act(conv(x, filter) + bias) for a 3×3, stride-1, dilation-1 convolution, x's pixels `ldx`
 * floats apart; bias 0 for none. Inside an `rt.call`.
 */
export function winogradConv(
  rt: WasmRuntime, x: number, ldx: number, filter: WinogradFilter, bias: number, relu: boolean, out: number, p: Conv2DParams,
  t = winogradTiling(p),
): void {
  const { widthM } = widths(p);
  const u = rt.alloc(t.positions * p.inC * widthM * 4);
  const filterArgs = [u, filter.w, filter.tap, filter.rs, filter.cs, filter.flip ? 1 : 0, p.inC, p.outC];
  rt.parallel(t.kernels.filter, p.inC, filterArgs, COPY_FLOPS * t.positions * p.inC * widthM);
  // Small jobs still make MIN_UNITS units, for the threads to share.
  const { tiles, block } = blocking(t, p, MIN_UNITS);
  const job = writeJob(rt, t, p, block, { x, ldx, u, bias, relu: relu ? 1 : 0, out });
  rt.parallel(t.kernels.conv, Math.ceil(tiles / block), [job], 2 * t.positions * tiles * p.inC * p.outC);
}

/**
 * dw = the filter gradient of the 3×3, stride-1, dilation-1 convolution `p` of x, dy's pixels
 * `ldy` floats apart: fixed groups of tile blocks sum into partials of dU (the gradFilter
 * kernel), sum_partials adds them in order, and the finish kernel transforms the sum to the
 * HWIO gradient. Inside an `rt.call`.
 */
export function winogradGradFilter(rt: WasmRuntime, x: number, dy: number, ldy: number, dw: number, p: Conv2DParams, t = winogradTiling(p)): void {
  const { tiles, block } = blocking(t, p, 1);
  const blocks = Math.ceil(tiles / block), groupBlocks = Math.ceil(blocks / MAX_GROUPS);
  const groups = Math.ceil(blocks / groupBlocks);
  const { widthV, widthM } = widths(p);
  const size = t.positions * widthV * widthM;
  const partial = rt.alloc(groups * size * 4), du = rt.alloc(size * 4);
  const job = writeJob(rt, t, p, block, { x, ldx: p.inC, dy, ldy, partial, groupBlocks });
  rt.parallel(t.kernels.gradFilter, groups, [job], 2 * t.positions * tiles * p.inC * p.outC);
  sumPartials(rt, partial, groups, size, du);
  rt.parallel(t.kernels.finish, p.inC, [du, dw, p.inC, p.outC], COPY_FLOPS * size);
}

/** Floats per row of V (inC in whole vectors) and of M, dM and U's panels (outC in whole NR panels): assembly/winograd_common.ts widthV, widthM. */
function widths(p: Conv2DParams): { widthV: number; widthM: number } {
  return { widthV: Math.ceil(p.inC / 4) * 4, widthM: Math.ceil(p.outC / NR) * NR };
}

/**
 * The tiles of `p` and the tiles per block: as many as fit BLOCK_BYTES, but few enough to make
 * `minBlocks` blocks. The block depends on the shape alone, so the work units (and the bits) do
 * not depend on the thread count.
 */
function blocking(t: Tiling, p: Conv2DParams, minBlocks: number): { tiles: number; block: number } {
  const { widthV, widthM } = widths(p);
  const tiles = p.batch * Math.ceil(p.outH / t.tile) * Math.ceil(p.outW / t.tile);
  const fits = Math.floor(BLOCK_BYTES / (t.positions * (widthV + widthM) * 4));
  return { tiles, block: Math.max(4, Math.floor(Math.min(fits, Math.ceil(tiles / minBlocks)) / 4) * 4) };
}

/** Allocates and writes a job for `p` with `operands` (the fields not given are 0), its zeros row and per-thread scratch. */
function writeJob(rt: WasmRuntime, t: Tiling, p: Conv2DParams, block: number, operands: Partial<JobFields>): number {
  const { widthV, widthM } = widths(p);
  // Each position's rows of V and M hold a block and one more row (assembly/winograd_common.ts positionBytes).
  const scratchStride = Math.ceil((t.head + t.positions * (block + 1) * (widthV + widthM) * 4) / 64) * 64;
  const zeros = rt.alloc(widthV * 4);
  const scratch = rt.alloc(scratchStride * rt.threads);
  const job = rt.alloc(FIELDS.length * 4);
  rt.f32(zeros, widthV).fill(0);
  const values: JobFields = {
    ...p, x: 0, ldx: 0, u: 0, bias: 0, relu: 0, out: 0, dy: 0, ldy: 0, partial: 0, groupBlocks: 0, ...operands, zeros, scratch, scratchStride, block,
  };
  rt.i32(job, FIELDS.length).set(FIELDS.map((f) => values[f]));
  return job;
}
