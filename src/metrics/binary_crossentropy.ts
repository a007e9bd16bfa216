/** Mirrors BinaryCrossentropy in keras/src/metrics/probabilistic_metrics.py. */
import { binaryCrossentropy, type BinaryCrossentropyOptions } from '../losses/losses.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * The running mean of the binary cross-entropy (see keras.losses.binaryCrossentropy).
 *
 * Args: name (default 'binary_crossentropy'), dtype, fromLogits (default false), labelSmoothing (default 0).
 *
 * Example:
 * ```ts
 * const m = new BinaryCrossentropy();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result();  // 0.815
 * ```
 */
export class BinaryCrossentropy extends MeanMetricWrapper<Omit<BinaryCrossentropyOptions, 'axis'>> {
  static override readonly className = 'BinaryCrossentropy';
  // Keras: name="binary_crossentropy", from_logits=False, label_smoothing=0.
  constructor({ fromLogits = false, labelSmoothing = 0, ...options }: Omit<BinaryCrossentropyOptions, 'axis'> & MetricOptions = {}) {
    super(binaryCrossentropy, { name: 'binary_crossentropy', ...options, fromLogits, labelSmoothing });
  }
}
