/** Mirrors SparseCategoricalCrossentropy in keras/src/metrics/probabilistic_metrics.py. */
import { sparseCategoricalCrossentropy, type SparseCategoricalCrossentropyOptions } from '../losses/losses.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import type { MetricOptions } from './metric.js';

/**
 * The running mean of the sparse categorical cross-entropy (see
 * keras.losses.sparseCategoricalCrossentropy).
 *
 * Args: name (default 'sparse_categorical_crossentropy'), dtype, fromLogits (default false),
 * ignoreClass (default null), axis (default -1, the only one supported).
 *
 * Example:
 * ```ts
 * const m = new SparseCategoricalCrossentropy();
 * m.updateState([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result();  // 1.177
 * ```
 */
export class SparseCategoricalCrossentropy extends MeanMetricWrapper<SparseCategoricalCrossentropyOptions> {
  static override readonly className = 'SparseCategoricalCrossentropy';
  // Keras: name="sparse_categorical_crossentropy", from_logits=False, ignore_class=None, axis=-1.
  constructor({ fromLogits = false, ignoreClass = null, axis = -1, ...options }: SparseCategoricalCrossentropyOptions & MetricOptions = {}) {
    super(sparseCategoricalCrossentropy, { name: 'sparse_categorical_crossentropy', ...options, fromLogits, ignoreClass, axis });
  }
}
