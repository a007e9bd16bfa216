/**
 * The accuracy functions: per-sample 1 (hit) or 0 (miss). Mirrors the functions of
 * keras/src/metrics/accuracy_metrics.py; the classes beside this file average them.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import { cast, reshape, type TensorLike } from '../ops/core.js';
import { argmax, equal, greater, less, multiply, squeeze, sum } from '../ops/numpy.js';
import { oneHot } from '../ops/nn.js';
import { assertSameBatch, floatTensor, squeezeOrExpandToSameRank } from '../losses/loss.js';
import { LOSS_FUNCTIONS, type LossFunction } from '../losses/losses.js';

const hits = (a: Tensor, b: Tensor): Tensor => cast(equal(a, b), 'float32');

/** Fails unless yTrue holds one-hot rows shaped like yPred (categorical accuracies). */
function assertOneHot(fn: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`${fn}: \`y_true\` must be one-hot encoded with the shape of \`y_pred\`. Received: ` +
      `y_true.shape=${formatShape(yTrue.shape)}, y_pred.shape=${formatShape(yPred.shape)}. For integer class labels ` +
      `use sparse_categorical_accuracy (keras.metrics.SparseCategoricalAccuracy)`);
  }
}

/** Where yTrue equals yPred exactly (Keras's `accuracy`). */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(floatTensor(yTrue), floatTensor(yPred));
  assertSameBatch('accuracy', t, p);
  return hits(t, p);
}

export interface BinaryAccuracyOptions {
  /** Predictions above it count as 1. Keras: threshold=0.5. */
  threshold?: number;
}

/** Where (yPred > threshold) equals the 0/1 label (keras.metrics.binary_accuracy). */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, { threshold = 0.5 }: BinaryAccuracyOptions = {}): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(floatTensor(yTrue), floatTensor(yPred));
  assertSameBatch('binary_accuracy', t, p);
  return hits(t, cast(greater(p, threshold), 'float32'));
}

/** Where the argmax of yPred is the argmax of the one-hot yTrue (keras.metrics.categorical_accuracy). */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const p = floatTensor(yPred);
  const t = floatTensor(yTrue);
  assertOneHot('categorical_accuracy', t, p);
  return hits(argmax(t, -1), argmax(p, -1));
}

/** Where the argmax of yPred is the integer label (keras.metrics.sparse_categorical_accuracy). */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const p = floatTensor(yPred);
  let t = floatTensor(yTrue);
  assertSameBatch('sparse_categorical_accuracy', t, p);
  // Labels of shape (batch, 1) are compared as (batch,), and so is the result.
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = squeeze(t, -1);
  if (t.rank !== p.rank - 1) {
    throw new Error(`sparse_categorical_accuracy: \`y_true\` must hold one integer label per row of \`y_pred\`. Received: ` +
      `y_true.shape=${formatShape(t.shape)}, y_pred.shape=${formatShape(p.shape)}. For one-hot labels use ` +
      `categorical_accuracy (keras.metrics.CategoricalAccuracy)`);
  }
  return hits(t, argmax(p, -1));
}

export interface TopKCategoricalAccuracyOptions {
  /** How many of the highest predictions count. Keras: k=5. */
  k?: number;
}

/**
 * Where the one-hot label's class is among the k highest predictions
 * (keras.metrics.top_k_categorical_accuracy). As ops.in_top_k: a class tied with the k-th
 * highest counts, that is when fewer than k predictions are strictly higher.
 */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike,
  { k = 5 }: TopKCategoricalAccuracyOptions = {}): Tensor {
  const p = floatTensor(yPred);
  const t = floatTensor(yTrue);
  assertOneHot('top_k_categorical_accuracy', t, p);
  const classes = p.shape[p.rank - 1];
  const rows = reshape(p, [-1, classes]);
  const labels = reshape(argmax(t, -1), [-1]);
  const target = sum(multiply(rows, oneHot(labels, classes)), -1, true);
  const higher = sum(cast(greater(rows, target), 'float32'), -1);
  return reshape(cast(less(higher, k), 'float32'), t.shape.slice(0, -1));
}

/** Functions a MeanMetricWrapper can name in its config: the accuracies and the loss functions. */
export const METRIC_FUNCTIONS: ReadonlyMap<string, LossFunction> = new Map<string, LossFunction>([
  ['accuracy', accuracy],
  ['binary_accuracy', binaryAccuracy],
  ['categorical_accuracy', categoricalAccuracy],
  ['sparse_categorical_accuracy', sparseCategoricalAccuracy],
  ['top_k_categorical_accuracy', topKCategoricalAccuracy],
  ...LOSS_FUNCTIONS,
]);
