/**
 * WASM batch-normalization kernels (assembly/batch_norm.ts). Each kernel is a short pipeline of
 * passes: row passes over tiles of x, and per-channel passes that turn the tiles' partial sums
 * into statistics and per-column coefficients.
 */
import type { BatchNormKernels, BatchNormParams } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

/**
 * Rows a tile sums in float32 before the tiles' partial sums are added: two short sums instead
 * of one long one keep the statistics of big batches accurate.
 */
const TILE_ROWS = 64;
/** Columns of a tile: a few KiB of each row, so a thread streams contiguous memory. */
const TILE_COLS = 1024;

/** The batch-normalization kernels on `rt`. */
export function batchNormKernels(rt: WasmRuntime): BatchNormKernels {
  /**
   * Scratch for one call, and the launchers of its passes. `row(name, args, flops)` runs a row
   * pass over the tiles with `flops` per element; `channel(name, args)` a per-channel pass.
   */
  const pipeline = (p: BatchNormParams) => {
    const width = p.channels * p.inner;
    const rowTiles = Math.ceil(p.outer / TILE_ROWS);
    const tiles = rowTiles * Math.ceil(width / TILE_COLS);
    const column = () => rt.alloc(width * 4);
    const scratch = { m: column(), a: column(), b: column(), k: column(), partials: rt.alloc(2 * rowTiles * width * 4) };
    return {
      scratch,
      rowTiles,
      row(name: string, args: number[], flops: number): void {
        rt.parallel(name, tiles, [...args, p.outer, width, TILE_ROWS, TILE_COLS], p.outer * width * flops);
      },
      channel(name: string, args: number[]): void {
        rt.parallel(name, p.channels, args, rowTiles * width);
      },
    };
  };

  return {
    batchNormTrain(x, gamma, beta, out, mean, variance, p) {
      rt.call([x, gamma, beta], [out, mean, variance], ([px, pg, pb], [po, pm, pv]) => {
        const { scratch: s, rowTiles, row, channel } = pipeline(p);
        const shape = [p.outer, p.channels, p.inner];
        row('batchNormSums', [px, s.partials], 2);
        channel('batchNormMean', [s.partials, pm, s.m, ...shape, rowTiles]);
        row('batchNormDeviationSums', [px, s.m, s.partials], 3);
        channel('batchNormVariance', [s.partials, pv, pg, pb, s.k, s.b, ...shape, p.epsilon, rowTiles]);
        row('batchNormNormalize', [px, po, s.m, s.k, s.b], 3);
      });
    },

    batchNormInfer(x, mean, variance, gamma, beta, out, p) {
      rt.call([x, mean, variance, gamma, beta], [out], ([px, pm, pv, pg, pb], [po]) => {
        const { scratch: s, row, channel } = pipeline(p);
        channel('batchNormColumns', [pm, pv, pg, pb, s.m, s.k, s.b, p.inner, p.epsilon]);
        row('batchNormNormalize', [px, po, s.m, s.k, s.b], 3);
      });
    },

    batchNormTrainGrad(x, dy, gamma, mean, variance, dx, dgamma, dbeta, p) {
      rt.call([x, dy, gamma, mean, variance], [dx, dgamma, dbeta], ([px, pdy, pg, pm, pv], [pdx, pdg, pdb]) => {
        const { scratch: s, rowTiles, row, channel } = pipeline(p);
        channel('batchNormColumns', [pm, 0, 0, 0, s.m, 0, 0, p.inner, p.epsilon]);
        row('batchNormGradSums', [px, pdy, s.m, s.partials], 4);
        channel('batchNormGradCoefficients', [
          s.partials, pg, pv, pdg, pdb, s.a, s.b, s.k, p.outer, p.channels, p.inner, p.epsilon, rowTiles,
        ]);
        row('batchNormGradApply', [px, pdy, pdx, s.m, s.a, s.b, s.k], 5);
      });
    },
  };
}
