/** Mirrors BinaryAccuracy in keras/src/metrics/accuracy_metrics.py. */
import { binaryAccuracy, type BinaryAccuracyOptions } from './accuracy_metrics.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * How often predictions match binary labels, a prediction counting as 1 above `threshold`.
 *
 * Args: threshold (default 0.5), name (default 'binary_accuracy'), dtype.
 *
 * Example:
 * ```ts
 * const m = new BinaryAccuracy();
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
 * m.result();  // 0.75
 * ```
 */
export class BinaryAccuracy extends MeanMetricWrapper<BinaryAccuracyOptions> {
  static override readonly className = 'BinaryAccuracy';
  // Keras: name="binary_accuracy", threshold=0.5.
  constructor({ threshold = 0.5, ...options }: BinaryAccuracyOptions & MetricOptions = {}) {
    super(binaryAccuracy, { name: 'binary_accuracy', ...options, threshold });
  }
}
