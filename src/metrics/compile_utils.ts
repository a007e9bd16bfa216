/**
 * How `compile` turns each entry of its `metrics` argument into a Metric: the metric half of
 * keras/src/trainers/compile_utils.py (get_metric).
 */
import { isBinaryOrSparseCategorical, type MaybeShape } from '../losses/compile_utils.js';
import { functionName } from '../losses/losses.js';
import { METRIC_FUNCTIONS } from './accuracy_metrics.js';
import { BinaryAccuracy } from './binary_accuracy.js';
import { CategoricalAccuracy } from './categorical_accuracy.js';
import { MeanMetricWrapper } from './mean_metric_wrapper.js';
import { Metric } from './metric.js';
import { get, type MetricIdentifier } from './registry.js';
import { SparseCategoricalAccuracy } from './sparse_categorical_accuracy.js';

/**
 * The Metric that `compile({metrics: [identifier]})` tracks (compile_utils.py get_metric).
 *
 * 'accuracy' and 'acc' (any case) become BinaryAccuracy, SparseCategoricalAccuracy or
 * CategoricalAccuracy by the shapes of y_true and y_pred alone, never the loss
 * (`isBinaryOrSparseCategorical`: y_pred's last dimension 1 means binary; y_true of lower rank,
 * or with last dimension 1 against y_pred's greater than 1, means sparse; otherwise
 * categorical). Everything else goes through `get`; functions are wrapped in a
 * MeanMetricWrapper.
 *
 * The metric is named after the identifier when it is a string, as it then appears in the
 * logs: 'mse' gives a MeanSquaredError named 'mse', 'acc' a ...Accuracy named 'acc'. Otherwise
 * it keeps its own name (a function's name in snake_case).
 */
export function getCompileMetric(identifier: MetricIdentifier, yTrueShape: MaybeShape, yPredShape: MaybeShape): Metric {
  if (identifier === null || identifier === undefined) throw new Error('Expected metric, received `None`');
  let obj: ReturnType<typeof get>;
  if (typeof identifier === 'string' && ['accuracy', 'acc'].includes(identifier.toLowerCase())) {
    const { isBinary, isSparseCategorical } = isBinaryOrSparseCategorical(yTrueShape, yPredShape);
    const Cls = isBinary ? BinaryAccuracy : isSparseCategorical ? SparseCategoricalAccuracy : CategoricalAccuracy;
    obj = new Cls({ name: identifier });
  } else {
    obj = get(identifier);
  }
  if (obj === null) throw new Error(`Could not interpret metric identifier: ${String(identifier)}`);
  const name = typeof identifier === 'string' ? identifier : obj instanceof Metric ? obj.name : functionName(obj, METRIC_FUNCTIONS);
  const metric = obj instanceof Metric ? obj : new MeanMetricWrapper(obj, {});
  metric.name = name;
  return metric;
}
