/** to_categorical and normalize. Mirrors keras/src/utils/numerical_utils.py. */
import { Tensor, formatShape } from '../backend/tensor.js';
import { cast, convertToTensor, reshape, type TensorLike } from '../ops/core.js';
import { oneHot } from '../ops/nn.js';
import { add, divide, equal, sqrt, square, sum } from '../ops/numpy.js';

/**
 * One-hot encodes integer class labels (keras.utils.to_categorical): labels of shape (n,) or
 * (n, 1) give a float32 (n, numClasses) tensor. `numClasses` defaults to the largest label + 1.
 *
 * Example: `toCategorical(yTrain, 10)`.
 */
export function toCategorical(x: TensorLike, numClasses?: number): Tensor {
  // Like Keras, labels are cast to integers first (truncating any fraction).
  let labels = convertToTensor(x, undefined, 'int32');
  if (labels.rank > 1 && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
  const values = Array.from(labels.values);
  const bad = values.findIndex((v) => v < 0);
  if (bad >= 0) throw new Error(`toCategorical: labels must be non-negative integers, received ${values[bad]} at index ${bad}`);
  const classes = numClasses ?? Math.max(-1, ...values) + 1;
  const tooLarge = values.findIndex((v) => v >= classes);
  if (tooLarge >= 0) {
    throw new Error(`toCategorical: label ${values[tooLarge]} at index ${tooLarge} does not fit numClasses=${classes} ` +
      `(labels must be in [0, ${classes}); labels shape ${formatShape(labels.shape)})`);
  }
  return oneHot(labels, classes);
}

/** Scales x to unit norm along `axis` (keras.utils.normalize with order 2); zero rows stay zero. */
export function normalize(x: TensorLike, axis = -1): Tensor {
  const t = x instanceof Tensor ? x : convertToTensor(x);
  const norm = sqrt(sum(square(t), axis, true));
  // Keras divides zero norms by 1 instead.
  return divide(t, add(norm, cast(equal(norm, 0), 'float32')));
}
