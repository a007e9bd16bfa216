/** Creating tensors and converting between dtypes. Mirrors keras/src/ops/core.py. */
import { Tensor, formatShape, sizeOf, type DType, type NestedArray, type Shape, type TypedArray } from '../backend/tensor.js';
import { record } from '../backend/tape.js';
import { describe, fail } from './checks.js';
import { allocate } from '../backend/workspace.js';

/** What ops accept where Keras accepts "array-like": tensors, numbers, nested arrays, typed arrays. */
export type TensorLike = Tensor | NestedArray | TypedArray;

const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8', 'bool'];

/**
 * Makes a tensor from a number, nested arrays or a typed array (keras.ops.convert_to_tensor).
 *
 * Args:
 *   values: the data. A flat typed array takes `shape` as given; nested arrays give their own.
 *   shape: the shape for flat data (default: a vector, or a scalar for a number).
 *   dtype: 'float32' (default for numbers), 'int32', 'uint8' or 'bool'. Typed arrays default to
 *     their own type (Int32Array: int32, Uint8Array: uint8, others: float32).
 *
 * Example: `keras.tensor([[1, 2], [3, 4]])`, `keras.tensor(new Float32Array(6), [2, 3])`.
 */
export function convertToTensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  const op = 'convertToTensor';
  if (dtype !== undefined && !DTYPES.includes(dtype)) fail(op, `unknown dtype ${describe(dtype)}; expected one of ${DTYPES.join(', ')}`);
  if (values instanceof Tensor) {
    const t = dtype && dtype !== values.dtype ? cast(values, dtype) : values;
    return shape ? reshape(t, shape) : t;
  }
  if (ArrayBuffer.isView(values)) {
    const own: DType = values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'uint8' : 'float32';
    const target = dtype ?? own;
    const data = allocate(target, values.length);
    data.set(values as ArrayLike<number>);
    return new Tensor(data, checkedShape(op, shape ?? [values.length], values.length), target);
  }
  const inferred = nestedShape(values);
  const flat: (number | boolean)[] = [];
  flatten(values, inferred, 0, flat);
  const target = dtype ?? (typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  const data = allocate(target, flat.length);
  flat.forEach((v, i) => (data[i] = Number(v)));
  return new Tensor(data, checkedShape(op, shape ?? inferred, flat.length), target);
}

/** Returns `x` with dtype `dtype`; floats become integers by truncation, as NumPy's astype does. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!DTYPES.includes(dtype)) fail('cast', `unknown dtype ${describe(dtype)}; expected one of ${DTYPES.join(', ')}`);
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.size);
  if (dtype === 'bool') x.values.forEach((v, i) => (out[i] = v !== 0 ? 1 : 0));
  else out.set(x.values);
  // No gradient: only float32 is differentiated, and a float32 -> float32 cast returned x above.
  return new Tensor(out, x.shape, dtype);
}

/** Same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, newShape: Shape): Tensor {
  const shape = checkedShape('reshape', newShape, x.size);
  if (shape.length === x.rank && shape.every((d, i) => d === x.shape[i])) return x;
  const y = new Tensor(x.values, shape, x.dtype);
  return record('reshape', [x], y, (dy) => [reshape(dy, x.shape)]);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  const dims = checkedShape('full', shape, null);
  return new Tensor(allocate(dtype, sizeOf(dims)).fill(value), dims, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/**
 * Validates a shape and resolves one -1 entry. `size` is the element count the shape must
 * hold (null when free, as for `full`).
 */
function checkedShape(op: string, shape: Shape, size: number | null): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    fail(op, `shape must be a list of non-negative integers (one may be -1), received ${describe(shape)}`);
  }
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || (free === 1 && size === null)) fail(op, `can only infer one dimension, received shape ${describe(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const dims = [...shape];
  if (free === 1) {
    if (known === 0 || size! % known !== 0) fail(op, `cannot reshape ${size} values into shape ${describe(shape)}`);
    dims[dims.indexOf(-1)] = size! / known;
  } else if (size !== null && known !== size) {
    fail(op, `cannot reshape ${size} values into shape ${formatShape(shape)}`);
  }
  return dims;
}

function nestedShape(values: NestedArray | TypedArray): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level) || ArrayBuffer.isView(level)) {
    const items = level as ArrayLike<unknown>;
    shape.push(items.length);
    if (items.length === 0) break;
    level = items[0];
  }
  return shape;
}

function flatten(values: unknown, shape: readonly number[], axis: number, out: (number | boolean)[]): void {
  if (axis === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean') {
      fail('convertToTensor', `expected a number at depth ${axis}, received ${describe(values)} (ragged nested arrays?)`);
    }
    out.push(values);
    return;
  }
  const items = values as ArrayLike<unknown>;
  if ((!Array.isArray(items) && !ArrayBuffer.isView(items)) || items.length !== shape[axis]) {
    fail('convertToTensor', `nested arrays are ragged: expected ${shape[axis]} items at depth ${axis}, received ${describe(values)}`);
  }
  for (let i = 0; i < items.length; i++) flatten(items[i], shape, axis + 1, out);
}
