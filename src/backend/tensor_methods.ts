/**
 * NumPy-style methods on Tensor, for the tutorials' array lines:
 *
 *   x_train.reshape(60000, 28, 28, 1).astype('float32') / 255
 *   xTrain.reshape([60000, 28, 28, 1]).astype('float32').div(255)
 *
 * They live here rather than in tensor.ts because they are ops, and ops import Tensor.
 * Each is the keras.ops function of the same meaning, so gradients flow through them too.
 */
import { cast, reshape, type TensorLike } from '../ops/core.js';
import { fail } from '../ops/checks.js';
import {
  add, argmax, divide, max, mean, min, multiply, slice, squeeze, subtract, sum, type Axis,
} from '../ops/numpy.js';
import { Tensor, type DType, type Shape } from './tensor.js';

/** One entry of `index()`: a position (drops the axis), `null` (the whole axis) or `[start, end)`. */
export type IndexSpec = number | null | readonly [number, number];

declare module './tensor.js' {
  interface Tensor {
    /** The same values in a new shape; one dimension may be -1. NumPy's `x.reshape(...)`. */
    reshape(shape: Shape): Tensor;
    /** The values converted to `dtype`. NumPy's `x.astype('float32')`. */
    astype(dtype: DType): Tensor;
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    sum(axis?: Axis, keepdims?: boolean): Tensor;
    mean(axis?: Axis, keepdims?: boolean): Tensor;
    min(axis?: Axis, keepdims?: boolean): Tensor;
    max(axis?: Axis, keepdims?: boolean): Tensor;
    argmax(axis?: number | null): Tensor;
    /**
     * NumPy basic indexing, one entry per axis (missing trailing entries take the whole axis):
     * `filters.index(null, null, null, i)` is NumPy's `filters[:, :, :, i]`, and
     * `x.index([0, 8])` is `x[0:8]`.
     */
    index(...spec: IndexSpec[]): Tensor;
  }
}

Object.assign(Tensor.prototype, {
  reshape(this: Tensor, shape: Shape) { return reshape(this, shape); },
  astype(this: Tensor, dtype: DType) { return cast(this, dtype); },
  add(this: Tensor, other: TensorLike) { return add(this, other); },
  sub(this: Tensor, other: TensorLike) { return subtract(this, other); },
  mul(this: Tensor, other: TensorLike) { return multiply(this, other); },
  div(this: Tensor, other: TensorLike) { return divide(this, other); },
  sum(this: Tensor, axis?: Axis, keepdims = false) { return sum(this, axis, keepdims); },
  mean(this: Tensor, axis?: Axis, keepdims = false) { return mean(this, axis, keepdims); },
  min(this: Tensor, axis?: Axis, keepdims = false) { return min(this, axis, keepdims); },
  max(this: Tensor, axis?: Axis, keepdims = false) { return max(this, axis, keepdims); },
  argmax(this: Tensor, axis: number | null = null) { return argmax(this, axis); },
  index: indexTensor,
});

function indexTensor(this: Tensor, ...spec: IndexSpec[]): Tensor {
  if (spec.length > this.rank) fail('index', `too many indices for a tensor of rank ${this.rank}: ${spec.length} were given`);
  const start: number[] = [];
  const size: number[] = [];
  const dropped: number[] = [];
  this.shape.forEach((dim, axis) => {
    const s = spec[axis] ?? null;
    if (s === null) {
      start.push(0);
      size.push(dim);
    } else if (typeof s === 'number') {
      const i = s < 0 ? s + dim : s;
      if (!Number.isInteger(i) || i < 0 || i >= dim) fail('index', `index ${s} is out of bounds for axis ${axis} with size ${dim}`);
      start.push(i);
      size.push(1);
      dropped.push(axis);
    } else {
      const [from, to] = s.map((v) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim));
      start.push(from);
      size.push(Math.max(to - from, 0));
    }
  });
  const block = slice(this, start, size);
  return dropped.length ? squeeze(block, dropped) : block;
}

// console.log(tensor) in Node prints the NumPy-like rendering instead of the object's fields.
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor) {
    return this.toString();
  },
});
