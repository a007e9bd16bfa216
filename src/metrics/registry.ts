/**
 * Looking metrics up by name, object or config: keras.metrics.get, serialize and deserialize
 * (keras/src/metrics/__init__.py).
 */
import type { LossFunction } from '../losses/losses.js';
import { ObjectRegistry, type RegisteredClass } from '../losses/registry.js';
import type { SerializedObject } from '../saving/serialization_lib.js';
import { toSnakeCase } from '../utils/naming.js';
import { Accuracy } from './accuracy.js';
import { BinaryAccuracy } from './binary_accuracy.js';
import { BinaryCrossentropy } from './binary_crossentropy.js';
import { CategoricalAccuracy } from './categorical_accuracy.js';
import { CategoricalCrossentropy } from './categorical_crossentropy.js';
import { Mean } from './mean.js';
import { MeanAbsoluteError } from './mean_absolute_error.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import { MeanSquaredError } from './mean_squared_error.js';
import { Metric } from './metric.js';
import { SparseCategoricalAccuracy } from './sparse_categorical_accuracy.js';
import { SparseCategoricalCrossentropy } from './sparse_categorical_crossentropy.js';
import { TopKCategoricalAccuracy } from './top_k_categorical_accuracy.js';

const CLASSES: readonly RegisteredClass<Metric>[] = [
  Mean, MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
];

/** Keras's ALL_OBJECTS_DICT: class names, their snake_case forms, and the short aliases. */
const METRICS = new ObjectRegistry<Metric>('metric', 'keras.metrics', Metric, new Map<string, RegisteredClass<Metric>>([
  ...CLASSES.map((c): [string, RegisteredClass<Metric>] => [c.className, c]),
  ...CLASSES.map((c): [string, RegisteredClass<Metric>] => [toSnakeCase(c.className), c]),
  ['bce', BinaryCrossentropy], ['BCE', BinaryCrossentropy],
  ['mse', MeanSquaredError], ['MSE', MeanSquaredError],
  ['mae', MeanAbsoluteError], ['MAE', MeanAbsoluteError],
]), MeanMetricWrapper);

/** Keras's serialized form of a Metric (keras.metrics.serialize). */
export const serialize = (metric: Metric): SerializedObject => METRICS.serialize(metric);

/** Rebuilds a Metric from its serialized form (keras.metrics.deserialize). */
export const deserialize = (spec: SerializedObject): Metric => METRICS.deserialize(spec);

export type MetricIdentifier = string | Metric | LossFunction | RegisteredClass<Metric> | SerializedObject;

/**
 * Retrieves a metric (keras.metrics.get) from a Keras name ('mse', 'mean_squared_error',
 * 'MeanSquaredError', 'accuracy'...), a serialized config, a Metric, a Metric class or a function.
 *
 * Returns: a new instance with the class's default name for names and classes
 * (`get('mse').name` is 'mean_squared_error'; compile names it 'mse', see getCompileMetric),
 * the object itself for metrics and functions; null for null.
 */
export const get = (identifier: MetricIdentifier | null | undefined): Metric | LossFunction | null => METRICS.get(identifier);
