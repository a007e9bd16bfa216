/**
 * Looking metrics up by name, object or config: keras.metrics.get, serialize and deserialize
 * (keras/src/metrics/__init__.py).
 */
import type { LossFunction } from '../losses/losses.js';
import { isSerializedObject, type Config, type SerializedObject } from '../saving/serialization_lib.js';
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

type MetricClass = (new () => Metric) & { readonly className: string; fromConfig(config: Config): Metric };

const CLASSES: readonly MetricClass[] = [
  Mean, MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
];

/** Keras's ALL_OBJECTS_DICT: class names, their snake_case forms, and the short aliases. */
const BY_NAME = new Map<string, MetricClass>([
  ...CLASSES.map((c): [string, MetricClass] => [c.className, c]),
  ...CLASSES.map((c): [string, MetricClass] => [toSnakeCase(c.className), c]),
  ['bce', BinaryCrossentropy], ['BCE', BinaryCrossentropy],
  ['mse', MeanSquaredError], ['MSE', MeanSquaredError],
  ['mae', MeanAbsoluteError], ['MAE', MeanAbsoluteError],
]);

const isMetricClass = (x: unknown): x is MetricClass => typeof x === 'function' && x.prototype instanceof Metric;

/** Keras's serialized form of a Metric (keras.metrics.serialize). */
export function serialize(metric: Metric): SerializedObject {
  const cls = metric.constructor as MetricClass;
  return { module: 'keras.metrics', class_name: cls.className, config: metric.getConfig(), registered_name: null };
}

/** Rebuilds a Metric from its serialized form (keras.metrics.deserialize). */
export function deserialize(spec: SerializedObject): Metric {
  const cls = spec.class_name === MeanMetricWrapper.className ? MeanMetricWrapper : BY_NAME.get(spec.class_name);
  if (!isMetricClass(cls)) {
    throw new Error(`Could not locate metric class '${spec.class_name}'. Known metrics: ${CLASSES.map((c) => c.className).join(', ')}`);
  }
  return cls.fromConfig(spec.config ?? {});
}

export type MetricIdentifier = string | Metric | LossFunction | MetricClass | SerializedObject;

/**
 * Retrieves a metric (keras.metrics.get) from a Keras name ('mse', 'mean_squared_error',
 * 'MeanSquaredError', 'accuracy'...), a serialized config, a Metric, a Metric class or a function.
 *
 * Returns: a new instance with the class's default name for names and classes
 * (`get('mse').name` is 'mean_squared_error'; compile names it 'mse', see getCompileMetric),
 * the object itself for metrics and functions; null for null.
 */
export function get(identifier: MetricIdentifier | null | undefined): Metric | LossFunction | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Metric) return identifier;
  if (isSerializedObject(identifier)) return deserialize(identifier);
  const obj = typeof identifier === 'string' ? BY_NAME.get(identifier) : identifier;
  if (isMetricClass(obj)) return new obj();
  if (typeof obj === 'function') return obj as LossFunction;
  throw new Error(`Could not interpret metric identifier: ${String(identifier)}. Known metrics: ${[...BY_NAME.keys()].join(', ')}`);
}
