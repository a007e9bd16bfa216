/** Mirrors MeanSquaredError in keras/src/metrics/regression_metrics.py. */
import { meanSquaredError } from '../losses/losses.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * The running mean of mean(square(yTrue - yPred), axis=-1).
 *
 * Args: name (default 'mean_squared_error'), dtype.
 *
 * Example:
 * ```ts
 * const m = new MeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result();  // 0.25
 * ```
 */
export class MeanSquaredError extends MeanMetricWrapper {
  static override readonly className = 'MeanSquaredError';
  // Keras: name="mean_squared_error".
  constructor(options: MetricOptions = {}) {
    super(meanSquaredError, { name: 'mean_squared_error', ...options });
  }
}
