/** Mirrors CategoricalCrossentropy in keras/src/metrics/probabilistic_metrics.py. */
import { categoricalCrossentropy, type CategoricalCrossentropyOptions } from '../losses/losses.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * The running mean of the categorical cross-entropy (see keras.losses.categoricalCrossentropy).
 *
 * Args: name (default 'categorical_crossentropy'), dtype, fromLogits (default false),
 * labelSmoothing (default 0), axis (default -1).
 *
 * Example:
 * ```ts
 * const m = new CategoricalCrossentropy();
 * m.updateState([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result();  // 1.177
 * ```
 */
export class CategoricalCrossentropy extends MeanMetricWrapper<CategoricalCrossentropyOptions> {
  static override readonly className = 'CategoricalCrossentropy';
  // Keras: name="categorical_crossentropy", from_logits=False, label_smoothing=0, axis=-1.
  constructor({ fromLogits = false, labelSmoothing = 0, axis = -1, ...options }: CategoricalCrossentropyOptions & MetricOptions = {}) {
    super(categoricalCrossentropy, { name: 'categorical_crossentropy', ...options, fromLogits, labelSmoothing, axis });
  }
}
