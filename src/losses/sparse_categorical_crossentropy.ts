/** Mirrors SparseCategoricalCrossentropy in keras/src/losses/losses.py. */
import type { LossOptions } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { sparseCategoricalCrossentropy, type SparseCategoricalCrossentropyOptions } from './losses.js';

/**
 * Cross-entropy between integer class labels and predicted class probabilities (or logits).
 * Labels have shape (batch,) or (batch, 1); predictions (batch, classes). The class axis is the
 * last one.
 *
 * Args:
 *   fromLogits: whether yPred holds logits (default false: probabilities).
 *   ignoreClass: a label to leave out of the loss and of the mean (default null: none).
 *   reduction, name: see Loss (name defaults to 'sparse_categorical_crossentropy').
 *
 * Example:
 * ```ts
 * new SparseCategoricalCrossentropy().apply([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);  // 1.177
 * ```
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper<SparseCategoricalCrossentropyOptions> {
  static override readonly className = 'SparseCategoricalCrossentropy';
  // Keras: from_logits=False, ignore_class=None, name="sparse_categorical_crossentropy".
  constructor({ fromLogits = false, ignoreClass = null, ...options }: Omit<SparseCategoricalCrossentropyOptions, 'axis'> & LossOptions = {}) {
    super(sparseCategoricalCrossentropy, { name: 'sparse_categorical_crossentropy', ...options, fromLogits, ignoreClass });
  }
}
