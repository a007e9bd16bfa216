/** Mirrors CategoricalCrossentropy in keras/src/losses/losses.py. */
import type { LossOptions } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { categoricalCrossentropy, type CategoricalCrossentropyOptions } from './losses.js';

/**
 * Cross-entropy between one-hot labels and predicted class probabilities (or logits), for two or
 * more classes. For integer labels use SparseCategoricalCrossentropy.
 *
 * Args:
 *   fromLogits: whether yPred holds logits (default false: probabilities).
 *   labelSmoothing: in [0, 1]; 0.1 makes targets 0.1 / numClasses and 0.9 + 0.1 / numClasses.
 *   axis: the class axis (default -1).
 *   reduction, name: see Loss (name defaults to 'categorical_crossentropy').
 *
 * Example:
 * ```ts
 * new CategoricalCrossentropy().apply([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);  // 1.177
 * ```
 */
export class CategoricalCrossentropy extends LossFunctionWrapper<CategoricalCrossentropyOptions> {
  static override readonly className = 'CategoricalCrossentropy';
  // Keras: from_logits=False, label_smoothing=0.0, axis=-1, name="categorical_crossentropy".
  constructor({ fromLogits = false, labelSmoothing = 0, axis = -1, ...options }: CategoricalCrossentropyOptions & LossOptions = {}) {
    super(categoricalCrossentropy, { name: 'categorical_crossentropy', ...options, fromLogits, labelSmoothing, axis });
  }
}
