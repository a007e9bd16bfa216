/** Mirrors CategoricalAccuracy in keras/src/metrics/accuracy_metrics.py. */
import { categoricalAccuracy } from './accuracy_metrics.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * How often the highest prediction is the one-hot label's class. yPred may hold probabilities
 * or logits (the argmax is the same).
 *
 * Args: name (default 'categorical_accuracy'), dtype.
 *
 * Example:
 * ```ts
 * const m = new CategoricalAccuracy();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result();  // 0.5
 * ```
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className = 'CategoricalAccuracy';
  // Keras: name="categorical_accuracy".
  constructor(options: MetricOptions = {}) {
    super(categoricalAccuracy, { name: 'categorical_accuracy', ...options });
  }
}
