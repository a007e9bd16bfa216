/**
 * The Loss base class and the weighting and reduction every loss shares.
 * Mirrors keras/src/losses/loss.py.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import { cast, convertToTensor, type TensorLike } from '../ops/core.js';
import { divide, expandDims, multiply, squeeze, sum } from '../ops/numpy.js';
import type { Config } from '../saving/serialization_lib.js';
import { camelKeys, toSnakeCase, uniquify } from '../utils/naming.js';

/**
 * How per-sample losses become one value. 'sum_over_batch_size' and 'mean' divide the sum by the
 * number of loss values, 'mean_with_sample_weight' by the sum of the sample weights, 'sum' keeps
 * the sum, and 'none' or null return the values as they are.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none' | null;

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', null];

export interface LossOptions {
  /** Defaults to the snake_case class name (made unique), as Keras's auto_name. */
  name?: string;
  /** Keras: loss.py reduction="sum_over_batch_size". */
  reduction?: Reduction;
}

/** Converts a loss argument to float32, the dtype every Keras loss computes in by default. */
export function floatTensor(x: TensorLike): Tensor {
  const t = x instanceof Tensor ? x : convertToTensor(x);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

export function standardizeReduction(reduction: unknown): Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    const allowed = REDUCTIONS.map((r) => (r === null ? 'None' : `'${r}'`)).join(', ');
    throw new Error(`Invalid value for argument \`reduction\`. Expected one of {${allowed}}. Received: reduction=${String(reduction)}`);
  }
  return reduction as Reduction;
}

/**
 * Keras marks some loss values as invalid (sparse_categorical_crossentropy's `ignore_class`) by
 * attaching a mask to the tensor (backend.set_keras_mask); the reductions then leave them out.
 */
const masks = new WeakMap<Tensor, Tensor>();

export function setLossMask(values: Tensor, mask: Tensor): void {
  masks.set(values, mask);
}

export function getLossMask(values: Tensor): Tensor | null {
  return masks.get(values) ?? null;
}

/**
 * Removes or adds a trailing size-1 axis so that ranks match when they differ by exactly one
 * (loss.py squeeze_or_expand_to_same_rank): a rank-1 operand is expanded, a higher one squeezed.
 */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const fit = (big: Tensor, small: Tensor): [Tensor, Tensor] => {
    if (big.rank !== small.rank + 1 || big.shape[big.rank - 1] !== 1) return [big, small];
    return small.rank === 1 && expandRank1 ? [big, expandDims(small, -1)] : [squeeze(big, -1), small];
  };
  if (x1.rank > x2.rank) return fit(x1, x2);
  const [b, a] = fit(x2, x1);
  return [a, b];
}

/** Fails unless `a` and `b` broadcast together, naming what was received. */
function assertBroadcastable(what: string, a: Tensor, b: Tensor): void {
  const rank = Math.min(a.rank, b.rank);
  for (let i = 1; i <= rank; i++) {
    const [da, db] = [a.shape[a.rank - i], b.shape[b.rank - i]];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${what}: the sample weights of shape ${formatShape(b.shape)} do not match the loss values of shape ` +
        `${formatShape(a.shape)}; pass one weight per sample, shape (${a.shape[0] ?? ''},)`);
    }
  }
}

/** Merges a mask into the sample weights (loss.py apply_mask). */
export function applyMask(sampleWeight: Tensor | null, mask: Tensor | null, reduction: Reduction): Tensor | null {
  if (!mask) return sampleWeight;
  let floatMask = cast(mask, 'float32');
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    // Valid entries weigh total/valid, so that dividing by the total later divides by the valid count.
    const valid = sum(floatMask).values[0];
    floatMask = multiply(floatMask, valid === 0 ? 0 : floatMask.size / valid);
  }
  if (!sampleWeight) return floatMask;
  const [m, w] = squeezeOrExpandToSameRank(floatMask, sampleWeight);
  return multiply(w, m);
}

/** Reduces (weighted) loss values (loss.py reduce_values); a scalar or empty vector passes unchanged. */
export function reduceValues(values: Tensor, sampleWeight: Tensor | null, reduction: Reduction): Tensor {
  if (reduction === null || reduction === 'none' || values.rank === 0 || (values.rank === 1 && values.size === 0)) {
    return values;
  }
  const total = sum(values);
  if (reduction === 'sum') return total;
  const divisor = reduction === 'mean_with_sample_weight' && sampleWeight ? sum(sampleWeight).values[0] : values.size;
  // ops.divide_no_nan: a zero divisor gives zero.
  return divisor === 0 ? multiply(total, 0) : divide(total, divisor);
}

/** Applies sample weights and a mask to loss values, then reduces them (loss.py reduce_weighted_values). */
export function reduceWeightedValues(values: Tensor, sampleWeight: TensorLike | null = null, mask: Tensor | null = null,
  reduction: Reduction = 'sum_over_batch_size', what = 'loss'): Tensor {
  standardizeReduction(reduction);
  let weights = applyMask(sampleWeight === null ? null : floatTensor(sampleWeight), mask, reduction);
  let weighted = values;
  if (weights) {
    [weighted, weights] = squeezeOrExpandToSameRank(values, weights);
    assertBroadcastable(what, weighted, weights);
    weighted = multiply(weighted, weights);
  }
  return reduceValues(weighted, weights, reduction);
}

/** Fails unless y_true and y_pred agree on the batch size (their first dimension). */
export function assertSameBatch(what: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank > 0 && yPred.rank > 0 && yTrue.shape[0] !== yPred.shape[0]) {
    throw new Error(`${what}: \`y_true\` and \`y_pred\` must have the same batch size (first dimension). ` +
      `Received: y_true.shape=${formatShape(yTrue.shape)}, y_pred.shape=${formatShape(yPred.shape)}`);
  }
}

/**
 * Loss base class: subclass it and implement `call`.
 *
 * Args:
 *   name: the loss's name (default: the snake_case class name, made unique).
 *   reduction: 'sum_over_batch_size' (default), 'sum', 'mean', 'mean_with_sample_weight', 'none'
 *     or null; see `Reduction`.
 *
 * Call arguments (`apply`):
 *   yTrue: the targets. yPred: the predictions. sampleWeight: optional weights, one per sample
 *   (or per loss value, or a single number), multiplied into the losses before the reduction.
 *
 * Returns: the reduced loss (a scalar unless the reduction is 'none').
 *
 * Example:
 * ```ts
 * class MeanSquaredError extends Loss {
 *   call(yTrue: Tensor, yPred: Tensor) { return ops.mean(ops.square(ops.subtract(yPred, yTrue)), -1); }
 * }
 * new MeanSquaredError().apply(yTrue, yPred);
 * ```
 */
export abstract class Loss {
  static readonly className: string = 'Loss';
  name: string;
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    this.name = options.name ?? uniquify(toSnakeCase((this.constructor as typeof Loss).className));
    this.reduction = standardizeReduction(options.reduction === undefined ? 'sum_over_batch_size' : options.reduction);
  }

  /** The loss of each sample (or of each element), before weighting and reduction. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Keras's `loss(y_true, y_pred, sample_weight)`: per-sample losses, weighted, then reduced. */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | null = null): Tensor {
    const t = floatTensor(yTrue);
    const p = floatTensor(yPred);
    assertSameBatch(this.name, t, p);
    const losses = this.call(t, p);
    return reduceWeightedValues(losses, sampleWeight, getLossMask(losses), this.reduction, this.name);
  }

  getConfig(): Config {
    return { name: this.name, reduction: this.reduction };
  }

  /** Rebuilds a loss from `getConfig()`'s output (Keras: `cls(**config)`). */
  static fromConfig(this: new (options: LossOptions) => Loss, config: Config): Loss {
    return new this(camelKeys(config) as LossOptions);
  }
}
