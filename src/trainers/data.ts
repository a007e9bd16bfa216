/**
 * Data given to fit/evaluate/predict: tensors (checks, the validation split, batch slicing, as
 * keras/src/trainers/data_adapters/array_slicing.py) or a `Dataset` of ready-made batches (as
 * Keras's tf_dataset_adapter.py), both read through one `Batches` interface.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import { convertToTensor, type TensorLike } from '../ops/core.js';
import { slice } from '../ops/numpy.js';
import { mulberry32 } from '../random/mulberry32.js';
import { drawSeed } from '../random/seed_generator.js';

/**
 * Batches that fit/evaluate/predict read in place of (x, y) tensors: Keras's `tf.data.Dataset`.
 *
 * Each pass (`for await`) yields `[x, y]` batches, or `x` alone for unlabelled data (predict
 * only); `cardinality` is the number of batches in one pass. A dataset decides its own batch
 * size and order, so fit's `batchSize`, `shuffle` and `validationSplit` do not apply to it.
 *
 * Example:
 * ```ts
 * const [train, val] = await keras.utils.imageDatasetFromDirectory('flowers', {validationSplit: 0.2,
 *   subset: 'both', seed: 1337, imageSize: [180, 180]});
 * await model.fit(train, {epochs: 3, validationData: val});
 * ```
 */
export interface Dataset {
  readonly cardinality: number;
  [Symbol.asyncIterator](): AsyncIterator<Tensor | [Tensor, Tensor]>;
}

export function isDataset(x: unknown): x is Dataset {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** One pass over the data in batches; `y` is null only for unlabelled datasets. */
export interface Batches {
  steps: number;
  pass(shuffle: boolean): AsyncIterable<[Tensor, Tensor | null]>;
}

/** Tensors cut into batches of `batchSize`, reshuffled on each pass from keras's seed stream. */
export function tensorBatches(x: Tensor, y: Tensor | null, batchSize: number): Batches {
  const bounds = batches(x.shape[0], batchSize);
  return {
    steps: bounds.length,
    async *pass(shuffle: boolean) {
      const order = shuffle ? permutation(x.shape[0], mulberry32(drawSeed('fit'))) : null;
      for (const [start, end] of bounds) {
        const take = (t: Tensor) => (order ? gather(t, order.subarray(start, end)) : rows(t, start, end));
        yield [take(x), y && take(y)];
      }
    },
  };
}

/** A Dataset's batches as they come; `method` names the caller in Keras's errors. */
export function datasetBatches(method: string, data: Dataset, y: unknown): Batches {
  if (y !== undefined && y !== null) {
    // Keras: data_adapters/__init__.py raise_unsupported_arg
    throw new Error(`${method}: When providing \`x\` as a Dataset, \`y\` should not be passed. Instead, the targets ` +
      'should be included as part of the Dataset.');
  }
  return {
    steps: data.cardinality,
    async *pass() {
      for await (const batch of data) yield batch instanceof Tensor ? [batch, null] : batch;
    },
  };
}

/** A uniformly random order of n samples (Fisher-Yates) drawn with `next` in [0, 1). */
export function permutation(n: number, next: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

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
