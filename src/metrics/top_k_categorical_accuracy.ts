/** Mirrors TopKCategoricalAccuracy in keras/src/metrics/accuracy_metrics.py. */
import { topKCategoricalAccuracy, type TopKCategoricalAccuracyOptions } from './accuracy_metrics.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * How often the one-hot label's class is among the `k` highest predictions.
 *
 * Args: k (default 5), name (default 'top_k_categorical_accuracy'), dtype.
 *
 * Example:
 * ```ts
 * const m = new TopKCategoricalAccuracy({k: 1});
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result();  // 0.5
 * ```
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapper<TopKCategoricalAccuracyOptions> {
  static override readonly className = 'TopKCategoricalAccuracy';
  // Keras: k=5, name="top_k_categorical_accuracy".
  constructor({ k = 5, ...options }: TopKCategoricalAccuracyOptions & MetricOptions = {}) {
    super(topKCategoricalAccuracy, { name: 'top_k_categorical_accuracy', ...options, k });
  }
}
