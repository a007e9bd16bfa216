/** Mirrors MeanAbsoluteError in keras/src/losses/losses.py. */
import type { LossOptions } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { meanAbsoluteError } from './losses.js';

/**
 * The mean of absolute errors: mean(abs(yTrue - yPred)) over the last axis, then reduced.
 *
 * Args: reduction, name: see Loss (name defaults to 'mean_absolute_error').
 *
 * Example: `new MeanAbsoluteError().apply([1, 0.3, 1], [1.9, 0.3, 1.8])` is 0.5666667.
 */
export class MeanAbsoluteError extends LossFunctionWrapper {
  static override readonly className = 'MeanAbsoluteError';
  // Keras: name="mean_absolute_error".
  constructor(options: LossOptions = {}) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...options });
  }
}
