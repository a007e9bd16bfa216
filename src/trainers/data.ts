/**
 * Arrays given to fit/evaluate/predict: checks, the validation split and batch slicing.
 * Mirrors keras/src/trainers/data_adapters/array_slicing.py for in-memory tensors.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import { convertToTensor, type TensorLike } from '../ops/core.js';
import { slice } from '../ops/numpy.js';

/** A tensor argument of fit/evaluate/predict, converted; `name` is used in errors. */
export function dataTensor(method: string, name: string, x: TensorLike | undefined): Tensor {
  if (x === undefined || x === null) throw new Error(`${method}: argument '${name}' is required`);
  const t = x instanceof Tensor ? x : convertToTensor(x);
  if (t.rank === 0) throw new Error(`${method}: '${name}' must have a batch dimension, received a scalar`);
  return t;
}

export function checkSameLength(method: string, x: Tensor, y: Tensor): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${method}: x and y must have the same number of samples, received x with shape ${formatShape(x.shape)} ` +
      `and y with shape ${formatShape(y.shape)}`);
  }
}

/**
 * Keras's train_validation_split: the last `split` fraction of the samples, taken before any
 * shuffling, becomes the validation data.
 */
export function trainValidationSplit(x: Tensor, y: Tensor, split: number): [[Tensor, Tensor], [Tensor, Tensor]] {
  const n = x.shape[0];
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    throw new Error(`Training data contains ${n} samples, which is not sufficient to split it into a validation and ` +
      `training set as specified by \`validationSplit=${split}\`. Either provide more data, or a different value for the ` +
      '`validationSplit` argument.');
  }
  return [[rows(x, 0, at), rows(y, 0, at)], [rows(x, at, n), rows(y, at, n)]];
}

/** Samples [start, end) along the first axis. */
export function rows(x: Tensor, start: number, end: number): Tensor {
  return slice(x, [start, ...x.shape.slice(1).map(() => 0)], [end - start, ...x.shape.slice(1)]);
}

/** The samples at `indices` (a shuffled batch), copied along the first axis. */
export function gather(x: Tensor, indices: Int32Array): Tensor {
  const row = x.size / x.shape[0];
  const out = new (x.values.constructor as new (n: number) => typeof x.values)(indices.length * row);
  indices.forEach((index, i) => out.set(x.values.subarray(index * row, (index + 1) * row), i * row));
  return new Tensor(out, [indices.length, ...x.shape.slice(1)], x.dtype);
}

/** Batch boundaries over n samples: Keras's num_batches = ceil(n / batchSize), the last one partial. */
export function batches(n: number, batchSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(start + batchSize, n)]);
  return out;
}

export function checkBatchSize(method: string, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${method}: batchSize must be a positive integer, received ${batchSize}`);
  }
  return batchSize;
}
