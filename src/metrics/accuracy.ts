/** Mirrors Accuracy in keras/src/metrics/accuracy_metrics.py. */
import { accuracy } from './accuracy_metrics.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * How often predictions equal labels exactly (weighted by sampleWeight if given).
 *
 * Args: name (default 'accuracy'), dtype.
 *
 * Example:
 * ```ts
 * const m = new Accuracy();
 * m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
 * m.result();  // 0.75
 * ```
 */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className = 'Accuracy';
  // Keras: name="accuracy".
  constructor(options: MetricOptions = {}) {
    super(accuracy, { name: 'accuracy', ...options });
  }
}
