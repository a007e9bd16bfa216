/**
 * WASM Winograd convolution, F(4×4, 3×3) (assembly/winograd4.ts): the same job as winogradConv
 * (winograd.ts) with 4×4 output tiles from 6×6 patches, 36 multiplications per tile and channel
 * pair (2.25 per output pixel, against F(2×2)'s 4 and the direct convolution's 9), at the price
 * of larger transforms and several times F(2×2)'s rounding error. Not wired into the engine.
 */
import type { Conv2DParams } from '../kernels.js';
import { COPY_FLOPS } from './gemm.js';
import type { WasmRuntime } from './runtime.js';
import type { WinogradFilter } from './winograd.js';

/** NR of assembly/gemm.ts: U's panels and M's rows are whole multiples of it. */
const NR = 8;
/** Positions of the 6×6 transforms. */
const POSITIONS = 36;
/** HEAD of assembly/winograd4.ts: per-thread bytes before V. */
const HEAD = 768;
/** Bytes of V and M per work unit: a block of tiles whose transforms stay in L2 (512 KiB) beside U. */
const BLOCK_BYTES = 256 * 1024;
/** Work units a job makes at least, when it has enough tiles: one per thread of the largest pool (8). */
const MIN_UNITS = 8;

/** The fields of assembly/winograd4.ts `Winograd4Job`, in its order (one i32 each). */
const FIELDS = [
  'x', 'ldx', 'u', 'bias', 'relu', 'out', 'zeros', 'scratch', 'scratchStride', 'block',
  'batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'outC', 'padTop', 'padLeft',
] as const;

/** 4×4 output tiles of `p`, over the whole batch. */
export const winograd4Tiles = (p: Conv2DParams): number => p.batch * Math.ceil(p.outH / 4) * Math.ceil(p.outW / 4);

/**
 * out = act(conv(x, filter) + bias) for a 3×3, stride-1, dilation-1 convolution by F(4×4, 3×3),
 * x's pixels `ldx` floats apart; bias 0 for none. The arguments of winogradConv. Inside an `rt.call`.
 */
export function winograd4Conv(
  rt: WasmRuntime, x: number, ldx: number, filter: WinogradFilter, bias: number, relu: boolean, out: number, p: Conv2DParams,
): void {
  const widthV = Math.ceil(p.inC / 4) * 4, widthM = Math.ceil(p.outC / NR) * NR;
  const u = rt.alloc(POSITIONS * p.inC * widthM * 4);
  const filterArgs = [u, filter.w, filter.tap, filter.rs, filter.cs, filter.flip ? 1 : 0, p.inC, p.outC];
  rt.parallel('winograd4_filter', p.inC, filterArgs, COPY_FLOPS * POSITIONS * p.inC * widthM);
  // The block depends on the shape alone, so the work units (and the bits) do not depend on the thread count.
  const tiles = winograd4Tiles(p);
  const fits = Math.floor(BLOCK_BYTES / (POSITIONS * (widthV + widthM) * 4));
  const block = Math.max(4, Math.floor(Math.min(fits, Math.ceil(tiles / MIN_UNITS)) / 4) * 4);
  const scratchStride = Math.ceil((HEAD + POSITIONS * (block + 1) * (widthV + widthM) * 4) / 64) * 64;
  const zeros = rt.alloc(widthV * 4);
  const scratch = rt.alloc(scratchStride * rt.threads);
  const job = rt.alloc(FIELDS.length * 4);
  rt.f32(zeros, widthV).fill(0);
  const values: Record<(typeof FIELDS)[number], number> = {
    ...p, x, ldx, u, bias, relu: relu ? 1 : 0, out, zeros, scratch, scratchStride, block,
  };
  rt.i32(job, FIELDS.length).set(FIELDS.map((f) => values[f]));
  rt.parallel('winograd4_conv', Math.ceil(tiles / block), [job], 2 * POSITIONS * tiles * p.inC * p.outC);
}
