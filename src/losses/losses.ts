/**
 * The loss functions: per-sample losses from targets and predictions, as keras.losses exposes
 * them (keras/src/losses/losses.py). The Loss classes wrap these; metrics average them.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import type { TensorLike } from '../ops/core.js';
import * as nn from '../ops/nn.js';
import { abs, add, mean, multiply, notEqual, square, squeeze, subtract } from '../ops/numpy.js';
import { cast } from '../ops/core.js';
import { normalizeAxis } from '../ops/checks.js';
import { toSnakeCase } from '../utils/naming.js';
import { assertSameBatch, floatTensor, setLossMask, squeezeOrExpandToSameRank } from './loss.js';

/** A loss function: per-sample losses of `yPred` against `yTrue`, given options of type O. */
export type LossFunction<O extends object = object> = (yTrue: TensorLike, yPred: TensorLike, options?: O) => Tensor;

export interface CategoricalCrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities. Keras: from_logits=False. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become t * (1 - s) + s / numClasses. Keras: label_smoothing=0.0. */
  labelSmoothing?: number;
  /** The class axis. Keras: axis=-1. */
  axis?: number;
}

export interface SparseCategoricalCrossentropyOptions {
  /** Keras: from_logits=False. */
  fromLogits?: boolean;
  /** A label whose samples get no loss and are left out of the mean (e.g. a "void" class). Keras: ignore_class=None. */
  ignoreClass?: number | null;
  /** The class axis; only the last is supported. Keras: axis=-1. */
  axis?: number;
}

export interface BinaryCrossentropyOptions {
  /** Keras: from_logits=False. */
  fromLogits?: boolean;
  /** In [0, 1]: targets become t * (1 - s) + 0.5 * s. Keras: label_smoothing=0.0. */
  labelSmoothing?: number;
  /** The axis averaged over. Keras: axis=-1. */
  axis?: number;
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
}

/** Keras's backend message for targets that do not match the outputs, with the usual cause. */
function shapeMismatch(fn: string, expectation: string, target: Tensor, output: Tensor, hint: string): never {
  throw new Error(`${fn}: Arguments \`target\` and \`output\` must have the same shape${expectation}` +
    `target.shape=${formatShape(target.shape)}, output.shape=${formatShape(output.shape)}${hint}`);
}

/**
 * Mean of squared errors along the last axis: mean(square(yTrue - yPred), axis=-1).
 *
 * Args:
 *   yTrue: targets of shape (batch, d0, .. dN). yPred: predictions of the same shape.
 *
 * Returns: the losses, of shape (batch, d0, .. dN-1).
 *
 * Example: `meanSquaredError([[0, 1]], [[1, 1]])` is `[0.5]`.
 */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(floatTensor(yTrue), floatTensor(yPred));
  assertSameBatch('mean_squared_error', t, p);
  return mean(square(subtract(t, p)), -1);
}

/**
 * Mean of absolute errors along the last axis: mean(abs(yTrue - yPred), axis=-1).
 *
 * Example: `meanAbsoluteError([[0, 1]], [[1, 3]])` is `[1.5]`.
 */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = squeezeOrExpandToSameRank(floatTensor(yTrue), floatTensor(yPred));
  assertSameBatch('mean_absolute_error', t, p);
  return mean(abs(subtract(t, p)), -1);
}

/**
 * Categorical cross-entropy between one-hot (or soft) targets and predicted class probabilities
 * (or logits). Probabilities are rescaled to sum to 1 and clipped to [1e-7, 1 - 1e-7] first.
 *
 * Returns: one loss per sample, the class axis removed.
 *
 * Example: `categoricalCrossentropy([[0, 1, 0]], [[0.05, 0.95, 0]])` is `[0.0513]`.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false, labelSmoothing = 0, axis = -1 }: CategoricalCrossentropyOptions = {}): Tensor {
  const fn = 'categorical_crossentropy';
  const p = floatTensor(yPred);
  let t = floatTensor(yTrue);
  if (!sameShape(t, p)) {
    const labels = t.rank === p.rank - 1 || (t.rank === p.rank && t.shape[t.rank - 1] === 1);
    shapeMismatch(fn, '. Received: ', t, p, labels
      ? '. `y_true` looks like integer class labels: use the loss `sparse_categorical_crossentropy` ' +
        '(keras.losses.SparseCategoricalCrossentropy), or one-hot encode the labels with keras.utils.toCategorical'
      : '');
  }
  if (t.rank < 1) throw new Error(`${fn}: Arguments \`target\` and \`output\` must be at least rank 1. Received: target.shape=()`);
  if (labelSmoothing) {
    const classes = t.shape[normalizeAxis(fn, axis, t.rank)];
    t = add(multiply(t, 1 - labelSmoothing), labelSmoothing / classes);
  }
  return nn.categoricalCrossentropy(t, p, fromLogits, axis);
}

/**
 * Cross-entropy between integer class labels and predicted class probabilities (or logits).
 * Labels of shape (batch,) or (batch, 1) go with predictions of shape (batch, classes).
 *
 * Returns: one loss per sample. With `ignoreClass`, samples of that label get loss 0 and a mask
 * that leaves them out of the Loss classes' mean.
 *
 * Example: `sparseCategoricalCrossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])` is `[0.0513, 2.303]`.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false, ignoreClass = null, axis = -1 }: SparseCategoricalCrossentropyOptions = {}): Tensor {
  const fn = 'sparse_categorical_crossentropy';
  const p = floatTensor(yPred);
  let t = floatTensor(yTrue);
  if (p.rank < 1) throw new Error(`${fn}: Argument \`output\` must be at least rank 1. Received: output.shape=${formatShape(p.shape)}`);
  if (normalizeAxis(fn, axis, p.rank) !== p.rank - 1) throw new Error(`${fn}: Only axis=-1 is currently supported. Received: axis=${axis}`);
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = squeeze(t, -1);
  if (t.rank !== p.rank - 1 || t.shape.some((d, i) => d !== p.shape[i])) {
    shapeMismatch(fn, ' up until the last dimension: ', t, p, sameShape(t, p)
      ? '. `y_true` looks one-hot encoded: use the loss `categorical_crossentropy` (keras.losses.CategoricalCrossentropy)'
      : '');
  }
  if (ignoreClass === null) return nn.sparseCategoricalCrossentropy(t, p, fromLogits);
  const valid = notEqual(t, ignoreClass);
  const weight = cast(valid, 'float32');
  // Ignored samples get label 0 so the op accepts them, then their loss (and gradient) is zeroed.
  const losses = multiply(nn.sparseCategoricalCrossentropy(multiply(t, weight), p, fromLogits), weight);
  setLossMask(losses, valid);
  return losses;
}

/**
 * Binary cross-entropy, averaged along `axis`. Probabilities are clipped to [1e-7, 1 - 1e-7];
 * logits use the stable form max(x, 0) - x * t + log(1 + exp(-|x|)).
 *
 * Example: `binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])` is `[0.916, 0.714]`.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike,
  { fromLogits = false, labelSmoothing = 0, axis = -1 }: BinaryCrossentropyOptions = {}): Tensor {
  const p = floatTensor(yPred);
  let t = floatTensor(yTrue);
  if (!sameShape(t, p)) shapeMismatch('binary_crossentropy', '. Received: ', t, p, '');
  if (labelSmoothing) t = add(multiply(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
  return mean(nn.binaryCrossentropy(t, p, fromLogits), axis);
}

/** The built-in loss functions under their Keras names. */
export const LOSS_FUNCTIONS: ReadonlyMap<string, LossFunction> = new Map<string, LossFunction>([
  ['mean_squared_error', meanSquaredError],
  ['mean_absolute_error', meanAbsoluteError],
  ['categorical_crossentropy', categoricalCrossentropy],
  ['sparse_categorical_crossentropy', sparseCategoricalCrossentropy],
  ['binary_crossentropy', binaryCrossentropy],
]);

/**
 * The Keras name of a function: its name in `known`, else its own name in snake_case
 * (naming.py get_object_name). Built-ins are looked up because minifiers rename functions.
 */
export function functionName(fn: LossFunction, known: ReadonlyMap<string, LossFunction> = LOSS_FUNCTIONS): string {
  for (const [name, f] of known) if (f === fn) return name;
  return toSnakeCase(fn.name);
}
