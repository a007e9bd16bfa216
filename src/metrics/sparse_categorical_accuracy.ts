/** Mirrors SparseCategoricalAccuracy in keras/src/metrics/accuracy_metrics.py. */
import { sparseCategoricalAccuracy } from './accuracy_metrics.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * How often the highest prediction is the integer label. Labels have shape (batch,) or
 * (batch, 1); yPred may hold probabilities or logits.
 *
 * Args: name (default 'sparse_categorical_accuracy'), dtype.
 *
 * Example:
 * ```ts
 * const m = new SparseCategoricalAccuracy();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * m.result();  // 0.5
 * ```
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className = 'SparseCategoricalAccuracy';
  // Keras: name="sparse_categorical_accuracy".
  constructor(options: MetricOptions = {}) {
    super(sparseCategoricalAccuracy, { name: 'sparse_categorical_accuracy', ...options });
  }
}
