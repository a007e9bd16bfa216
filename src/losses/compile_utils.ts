/**
 * How `compile` turns its `loss` argument into a Loss: the loss half of
 * keras/src/trainers/compile_utils.py (get_loss, is_binary_or_sparse_categorical).
 */
import type { Loss } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import {
  binaryCrossentropy, categoricalCrossentropy, functionName, sparseCategoricalCrossentropy, type LossFunction,
} from './losses.js';
import { get, type LossIdentifier } from './registry.js';

/** A shape whose dimensions may be unknown (null), as symbolic tensors have. */
export type MaybeShape = readonly (number | null)[];

/**
 * Keras's shape rule for the convenience names 'accuracy'/'acc' and 'crossentropy'/'ce'
 * (compile_utils.py is_binary_or_sparse_categorical). It looks at shapes only, never at the loss:
 *
 * - binary when y_pred's last dimension is 1;
 * - sparse categorical when y_true has lower rank than y_pred, or y_true's last dimension is 1
 *   while y_pred's is greater than 1;
 * - binary wins when both hold; neither means categorical.
 */
export function isBinaryOrSparseCategorical(yTrueShape: MaybeShape, yPredShape: MaybeShape):
  { isBinary: boolean; isSparseCategorical: boolean } {
  const trueLast = yTrueShape[yTrueShape.length - 1];
  const predLast = yPredShape[yPredShape.length - 1];
  return {
    isBinary: predLast === 1,
    isSparseCategorical: yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast !== null && predLast > 1),
  };
}

/**
 * The Loss that `compile({loss: identifier})` uses (compile_utils.py get_loss).
 *
 * 'crossentropy' and 'ce' (any case) become binary_crossentropy, sparse_categorical_crossentropy
 * or categorical_crossentropy by `isBinaryOrSparseCategorical`; anything else goes through
 * `get`. Functions are wrapped in a LossFunctionWrapper named after the identifier when it is a
 * string ('mse' stays 'mse'), else after the function. Returns null for null (an output with
 * no loss).
 */
export function getCompileLoss(identifier: LossIdentifier | null | undefined, yTrueShape: MaybeShape, yPredShape: MaybeShape):
  Loss | null {
  if (identifier === null || identifier === undefined) return null;
  let obj: Loss | LossFunction | null;
  if (typeof identifier === 'string' && ['crossentropy', 'ce'].includes(identifier.toLowerCase())) {
    const { isBinary, isSparseCategorical } = isBinaryOrSparseCategorical(yTrueShape, yPredShape);
    obj = isBinary ? binaryCrossentropy : isSparseCategorical ? sparseCategoricalCrossentropy : categoricalCrossentropy;
  } else {
    obj = get(identifier);
  }
  if (obj === null || typeof obj !== 'function') return obj;
  return new LossFunctionWrapper(obj, { name: typeof identifier === 'string' ? identifier : functionName(obj) });
}
