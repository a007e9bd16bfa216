/** Padding a tensor with a constant. Mirrors `pad` in keras/src/ops/numpy.py. */
import { formatShape, type Tensor } from '../backend/tensor.js';
import { describe, fail } from './checks.js';
import { convertToTensor, full, type TensorLike } from './core.js';
import { concatenate } from './numpy.js';

/** NumPy's pad widths: one number for every side, one `[before, after]` pair for every axis, or a pair per axis. */
export type PadWidth = number | readonly [number, number] | readonly (readonly [number, number])[];

/**
 * Pads a tensor (keras.ops.pad). Only Keras's default mode, 'constant', is implemented.
 *
 * Args:
 *   x: the tensor to pad.
 *   padWidth: how many values to add before and after each axis: `[[before0, after0], ...]` (one
 *     pair per axis), a single `[before, after]` pair for every axis, or a number for every side.
 *   mode: 'constant' (Keras's default).
 *   constantValues: the value padded with. Keras: constant_values=None, i.e. 0.
 *
 * Returns:
 *   The padded tensor, of `x`'s dtype. Its gradient with respect to `x` is the unpadded block.
 *
 * Example:
 *   keras.ops.pad(keras.tensor([[1, 2]]), [[1, 0], [0, 2]]).toArray();   // [[0, 0, 0, 0], [1, 2, 0, 0]]
 */
export function pad(x: TensorLike, padWidth: PadWidth, mode: 'constant' = 'constant', constantValues = 0): Tensor {
  const t = convertToTensor(x);
  if (mode !== 'constant') {
    fail('pad', `argument 'mode' must be 'constant' (the only mode keras-ts implements), received ${describe(mode)}`);
  }
  const widths = padWidths(padWidth, t.shape);
  // Built from concatenations, whose backward slices the padded block back out.
  return widths.reduce((y, [before, after], axis) => {
    if (before === 0 && after === 0) return y;
    const side = (n: number): Tensor => full(y.shape.map((d, i) => (i === axis ? n : d)), constantValues, y.dtype);
    return concatenate([side(before), y, side(after)], axis);
  }, t);
}

/** `padWidth` as one `[before, after]` pair of non-negative integers per axis of `shape`. */
function padWidths(padWidth: PadWidth, shape: readonly number[]): [number, number][] {
  const pairs: readonly (readonly number[])[] = typeof padWidth === 'number' ? shape.map(() => [padWidth, padWidth])
    : Array.isArray(padWidth[0]) ? padWidth as readonly (readonly number[])[]
      : shape.map(() => padWidth as readonly number[]);
  if (pairs.length !== shape.length || pairs.some((p) => p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < 0))) {
    fail('pad', `argument 'padWidth' must be a non-negative integer, a pair, or one [before, after] pair per axis of ` +
      `${formatShape(shape)}, received ${describe(padWidth)}`);
  }
  return pairs.map(([before, after]) => [before, after]);
}
