/** Mirrors BinaryCrossentropy in keras/src/losses/losses.py. */
import type { LossOptions } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { binaryCrossentropy, type BinaryCrossentropyOptions } from './losses.js';

/**
 * Cross-entropy between binary labels (0 or 1) and predicted probabilities (or logits), averaged
 * along the last axis.
 *
 * Args:
 *   fromLogits: whether yPred holds logits (default false: probabilities).
 *   labelSmoothing: in [0, 1]; labels are squeezed towards 0.5: t * (1 - s) + 0.5 * s.
 *   axis: the axis averaged over (default -1).
 *   reduction, name: see Loss (name defaults to 'binary_crossentropy').
 *
 * Example:
 * ```ts
 * new BinaryCrossentropy().apply([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);  // 0.815
 * ```
 */
export class BinaryCrossentropy extends LossFunctionWrapper<BinaryCrossentropyOptions> {
  static override readonly className = 'BinaryCrossentropy';
  // Keras: from_logits=False, label_smoothing=0.0, axis=-1, name="binary_crossentropy".
  constructor({ fromLogits = false, labelSmoothing = 0, axis = -1, ...options }: BinaryCrossentropyOptions & LossOptions = {}) {
    super(binaryCrossentropy, { name: 'binary_crossentropy', ...options, fromLogits, labelSmoothing, axis });
  }
}
