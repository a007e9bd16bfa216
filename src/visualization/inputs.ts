/** Reading and checking the arrays the plots accept, with errors that name the function and argument. */

import { Tensor, formatShape, sizeOf, type DType, type TypedArray } from '../backend/tensor.js';
import { Variable } from '../backend/variable.js';
import { fail } from '../ops/checks.js';

/**
 * An array argument of a plot: a tensor, a variable (e.g. a layer's kernel), a typed array (with
 * a `shape` option when it is not 1-D) or a plain array of numbers.
 */
export type ArrayInput = Tensor | Variable | TypedArray | Float64Array | readonly number[];

/** Class names: a list indexed by class, or an object from class index to name. */
export type LabelMap = readonly string[] | Readonly<Record<number, string>>;

/** The values, shape and dtype of an `ArrayInput`, without a copy. */
export interface ArrayView {
  values: ArrayLike<number>;
  shape: readonly number[];
  dtype: DType;
}

function describeInput(input: unknown): string {
  if (input instanceof Tensor) return `a ${input.dtype} tensor of shape ${formatShape(input.shape)}`;
  if (ArrayBuffer.isView(input)) return `a ${input.constructor.name}`;
  if (Array.isArray(input)) return 'an array holding something other than numbers';
  return input === null ? 'null' : typeof input;
}

function typedArrayDType(values: ArrayBufferView): DType | undefined {
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'uint8';
  if (values instanceof Float32Array || values instanceof Float64Array) return 'float32';
  if (values instanceof Int32Array || values instanceof Int16Array || values instanceof Uint16Array) return 'int32';
  return undefined;
}

/**
 * Reads `input` (argument `arg` of function `fn`). `shape` gives the shape of a typed or plain
 * array (default: 1-D); a tensor or variable has its own.
 */
export function readArray(fn: string, arg: string, input: unknown, shape?: readonly number[]): ArrayView {
  const tensor = input instanceof Variable ? input.value : input;
  if (tensor instanceof Tensor) return { values: tensor.values, shape: tensor.shape, dtype: tensor.dtype };
  let dtype: DType | undefined;
  if (ArrayBuffer.isView(tensor)) dtype = typedArrayDType(tensor);
  else if (Array.isArray(tensor) && tensor.every((v) => typeof v === 'number')) {
    dtype = tensor.every(Number.isInteger) ? 'int32' : 'float32';
  }
  if (dtype === undefined) {
    fail(fn, `'${arg}' must be a Tensor, a Variable, a typed array or an array of numbers; ` +
      `received ${describeInput(input)}`);
  }
  const values = tensor as ArrayLike<number>;
  const fullShape = shape ?? [values.length];
  if (sizeOf(fullShape) !== values.length) {
    fail(fn, `'${arg}' has ${values.length} values, which do not fill the given shape ${formatShape(fullShape)}`);
  }
  return { values, shape: fullShape, dtype };
}

/**
 * Reads class labels: shape (N,) of class indices, or (N, C) of one-hot rows or scores (such as
 * `model.predict` returns), of which the index of the largest is taken.
 */
export function readClassIndices(fn: string, arg: string, input: unknown): Int32Array {
  const { values, shape } = readArray(fn, arg, input);
  if (shape.length === 2) {
    const [n, classes] = shape;
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let c = 1; c < classes; c++) if (values[i * classes + c] > values[i * classes + indices[i]]) indices[i] = c;
    }
    return indices;
  }
  if (shape.length !== 1) {
    fail(fn, `'${arg}' must have shape (N,) of class indices or (N, C) of scores; received shape ${formatShape(shape)}`);
  }
  const indices = Int32Array.from(values);
  const bad = Array.from(values).findIndex((v) => !Number.isInteger(v) || v < 0);
  if (bad >= 0) fail(fn, `'${arg}' must hold class indices (integers >= 0); received ${values[bad]} at position ${bad}`);
  return indices;
}

/** The name of each label in `labels` (their decimal form when there is no `labelMap`). */
export function labelNames(fn: string, labels: Int32Array, labelMap?: LabelMap): string[] {
  return Array.from(labels, (label) => {
    if (labelMap === undefined) return String(label);
    const name = (labelMap as Record<number, string | undefined>)[label];
    if (typeof name !== 'string') {
      fail(fn, `'labelMap' must name every label; it has no name for label ${label} ` +
        `(it names ${Object.keys(labelMap).length} classes: ${Object.keys(labelMap).join(', ')})`);
    }
    return name;
  });
}

/** The smallest and largest of the first `length` values (NaN when any is NaN). */
export function extent(values: ArrayLike<number>, length = values.length): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return [min, max];
}

/** Checks that the PNG path is a non-empty string. */
export function checkPath(fn: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') fail(fn, `'path' must be the PNG file to write; received ${String(path)}`);
}
