/** Mirrors MeanAbsoluteError in keras/src/metrics/regression_metrics.py. */
import { meanAbsoluteError } from '../losses/losses.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * The running mean of mean(abs(yTrue - yPred), axis=-1).
 *
 * Args: name (default 'mean_absolute_error'), dtype.
 *
 * Example:
 * ```ts
 * const m = new MeanAbsoluteError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result();  // 0.25
 * ```
 */
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override readonly className = 'MeanAbsoluteError';
  // Keras: name="mean_absolute_error".
  constructor(options: MetricOptions = {}) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...options });
  }
}
