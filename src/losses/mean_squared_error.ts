/** Mirrors MeanSquaredError in keras/src/losses/losses.py. */
import type { LossOptions } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { meanSquaredError } from './losses.js';

/**
 * The mean of squared errors: mean(square(yTrue - yPred)) over the last axis, then reduced.
 *
 * Args: reduction, name: see Loss (name defaults to 'mean_squared_error').
 *
 * Example: `new MeanSquaredError().apply([1, 0, 1], [0.9, 0.1, 0.8])` is 0.02.
 */
export class MeanSquaredError extends LossFunctionWrapper {
  static override readonly className = 'MeanSquaredError';
  // Keras: name="mean_squared_error".
  constructor(options: LossOptions = {}) {
    super(meanSquaredError, { name: 'mean_squared_error', ...options });
  }
}
