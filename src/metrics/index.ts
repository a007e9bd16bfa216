/** keras.metrics: the Metric classes, the accuracy functions, and lookup by name. */
export { Metric } from './metric.js';
export type { MetricOptions } from './metric.js';
export { Mean } from './mean.js';
export { MeanMetricWrapper } from './mean_metric_wrapper.js';
export type { MetricFunction } from './mean_metric_wrapper.js';
export { Accuracy } from './accuracy.js';
export { BinaryAccuracy } from './binary_accuracy.js';
export { CategoricalAccuracy } from './categorical_accuracy.js';
export { SparseCategoricalAccuracy } from './sparse_categorical_accuracy.js';
export { TopKCategoricalAccuracy } from './top_k_categorical_accuracy.js';
export { MeanSquaredError } from './mean_squared_error.js';
export { MeanAbsoluteError } from './mean_absolute_error.js';
export { BinaryCrossentropy } from './binary_crossentropy.js';
export { CategoricalCrossentropy } from './categorical_crossentropy.js';
export { SparseCategoricalCrossentropy } from './sparse_categorical_crossentropy.js';
export {
  binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy,
} from './accuracy_metrics.js';
export type { BinaryAccuracyOptions, TopKCategoricalAccuracyOptions } from './accuracy_metrics.js';
// Keras also exports the loss functions under keras.metrics.
export {
  binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy,
} from '../losses/losses.js';
export { deserialize, get, serialize } from './registry.js';
export type { MetricIdentifier } from './registry.js';
export { getCompileMetric } from './compile_utils.js';
