/** keras.metrics: running results over several updates, sample weights, reset, configs, lookup, compile's 'accuracy'. */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { meanSquaredError } from '../losses/losses.js';
import { assertClose } from '../testing/assert_close.js';
import * as metrics from './index.js';

const value = (x: Tensor): number => x.values[0];
const near = (actual: Tensor, expected: number, label: string): void => assertClose(actual.values, [expected], { atol: 1e-6 }, label);

test('Mean: weighted running mean in total and count, reset to zero', () => {
  const m = new metrics.Mean();
  assert.equal(m.name, 'mean');
  assert.deepEqual(m.variables.map((v) => v.name), ['total', 'count']);
  assert.equal(value(m.result()), 0, 'nothing seen gives 0, not NaN');
  m.updateState([1, 3, 5, 7]);
  near(m.result(), 4, 'unweighted');
  m.updateState([2, 4], [1, 0]);
  near(m.result(), 18 / 5, 'weights add their sum to the count');
  assert.deepEqual([value(m.total.value), value(m.count.value)], [18, 5]);
  m.resetState();
  assert.deepEqual([value(m.total.value), value(m.count.value)], [0, 0]);
  m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
  near(m.result(), 2, 'Keras docstring');
  // A scalar value weighted by the batch size: how fit tracks the loss.
  const loss = new metrics.Mean({ name: 'loss' });
  loss.updateState(0.5, 8);
  loss.updateState(2, 2);
  near(loss.result(), (0.5 * 8 + 2 * 2) / 10, 'loss tracker');
  // Values of rank 2 are averaged per sample; a single weight averages the whole batch.
  const r2 = new metrics.Mean();
  r2.updateState([[1, 3], [5, 7]], [1, 3]);
  near(r2.result(), (2 * 1 + 6 * 3) / 4, 'rank 2');
  const scalarWeight = new metrics.Mean();
  scalarWeight.updateState([1, 2, 3], 2);
  near(scalarWeight.result(), 2, 'scalar weight: mean * 2 / 2');
  assert.deepEqual([value(scalarWeight.total.value), value(scalarWeight.count.value)], [4, 2]);
});

test('accuracy metrics over several updates, with and without sample weights', () => {
  const acc = new metrics.Accuracy();
  acc.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
  near(acc.result(), 0.75, 'Accuracy');
  acc.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
  near(acc.result(), (3 + 1) / 6, 'Accuracy weighted');

  const bin = new metrics.BinaryAccuracy();
  bin.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
  near(bin.result(), 0.75, 'BinaryAccuracy');
  bin.updateState([1, 0], [[0.5], [0.5]]);  // 0.5 is not above the threshold; (N,) labels vs (N, 1)
  near(bin.result(), 4 / 6, 'BinaryAccuracy, threshold is strict');
  const strict = new metrics.BinaryAccuracy({ threshold: 0.9 });
  strict.updateState([[1], [1], [0], [0]], [[0.98], [0.8], [0], [0.6]], [1, 0, 1, 1]);
  near(strict.result(), 1, 'threshold 0.9 weighted');

  const cat = new metrics.CategoricalAccuracy();
  cat.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
  near(cat.result(), 0.5, 'CategoricalAccuracy');
  cat.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
  near(cat.result(), 1.3 / 3, 'CategoricalAccuracy weighted');

  const sparse = new metrics.SparseCategoricalAccuracy();
  sparse.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
  near(sparse.result(), 0.5, 'SparseCategoricalAccuracy (N, 1)');
  sparse.updateState([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
  near(sparse.result(), 1.3 / 3, 'SparseCategoricalAccuracy (N,) weighted');
  sparse.resetState();
  near(sparse.result(), 0, 'after reset');
  sparse.updateState([0], [[0.9, 0.1, 0]]);
  near(sparse.result(), 1, 'fresh after reset');

  const top = new metrics.TopKCategoricalAccuracy({ k: 1 });
  top.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
  near(top.result(), 0.5, 'top-1');
  const top2 = new metrics.TopKCategoricalAccuracy({ k: 2 });
  top2.updateState([[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0], [0.2, 0.2, 0.6]]);
  near(top2.result(), 1, 'top-2: a tie with the 2nd highest counts (ops.in_top_k)');
  top2.updateState([[1, 0, 0]], [[0.1, 0.5, 0.4]], [2]);
  near(top2.result(), 3 / 5, 'top-2 weighted miss');
  assert.equal(new metrics.TopKCategoricalAccuracy().fnOptions.k, 5);
});

test('regression and cross-entropy metrics average their loss functions', () => {
  const mse = new metrics.MeanSquaredError();
  mse.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
  near(mse.result(), 0.25, 'MeanSquaredError');
  mse.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]], [1, 0]);
  near(mse.result(), (0.5 + 0.5) / 3, 'weighted');
  const mae = new metrics.MeanAbsoluteError();
  mae.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]], [1, 0]);
  near(mae.result(), 0.5, 'MeanAbsoluteError');
  const cce = new metrics.CategoricalCrossentropy();
  cce.updateState([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
  assertClose(cce.result().values, [1.1769392], { atol: 1e-4 }, 'CategoricalCrossentropy');
  const scce = new metrics.SparseCategoricalCrossentropy();
  scce.updateState([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
  assertClose(scce.result().values, [1.1769392], { atol: 1e-4 }, 'SparseCategoricalCrossentropy');
  const bce = new metrics.BinaryCrossentropy();
  bce.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
  assertClose(bce.result().values, [0.81492424], { atol: 1e-4 }, 'BinaryCrossentropy');
  const wrapped = new metrics.MeanMetricWrapper(meanSquaredError, {});
  assert.equal(wrapped.name.startsWith('mean_metric_wrapper'), true, 'Keras passes name=None up: auto name');
  wrapped.updateState([[0, 1]], [[1, 1]]);
  near(wrapped.result(), 0.5, 'MeanMetricWrapper');
});

test('getConfig has Keras\'s keys; fromConfig and deserialize round-trip', () => {
  const cases: [metrics.Metric, object][] = [
    [new metrics.Mean(), { name: 'mean', dtype: 'float32' }],
    [new metrics.Accuracy(), { name: 'accuracy', dtype: 'float32' }],
    [new metrics.BinaryAccuracy(), { name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 }],
    [new metrics.CategoricalAccuracy(), { name: 'categorical_accuracy', dtype: 'float32' }],
    [new metrics.SparseCategoricalAccuracy(), { name: 'sparse_categorical_accuracy', dtype: 'float32' }],
    [new metrics.TopKCategoricalAccuracy(), { name: 'top_k_categorical_accuracy', dtype: 'float32', k: 5 }],
    [new metrics.MeanSquaredError(), { name: 'mean_squared_error', dtype: 'float32' }],
    [new metrics.MeanAbsoluteError(), { name: 'mean_absolute_error', dtype: 'float32' }],
    [new metrics.BinaryCrossentropy(), { name: 'binary_crossentropy', dtype: 'float32', from_logits: false, label_smoothing: 0 }],
    [new metrics.CategoricalCrossentropy(),
      { name: 'categorical_crossentropy', dtype: 'float32', from_logits: false, label_smoothing: 0, axis: -1 }],
    [new metrics.SparseCategoricalCrossentropy(),
      { name: 'sparse_categorical_crossentropy', dtype: 'float32', from_logits: false, ignore_class: null, axis: -1 }],
  ];
  for (const [metric, config] of cases) {
    assert.deepEqual(metric.getConfig(), config, metric.name);
    const again = metrics.deserialize(metrics.serialize(metric));
    assert.equal(again.constructor, metric.constructor);
    assert.deepEqual(again.getConfig(), config);
  }
  const custom = metrics.TopKCategoricalAccuracy.fromConfig({ name: 'top3', dtype: 'float32', k: 3 });
  assert.ok(custom instanceof metrics.TopKCategoricalAccuracy);
  assert.deepEqual(custom.getConfig(), { name: 'top3', dtype: 'float32', k: 3 });
  const wrapper = new metrics.MeanMetricWrapper(metrics.binaryAccuracy, { name: 'acc', threshold: 0.7 });
  assert.deepEqual(wrapper.getConfig(), {
    name: 'acc', dtype: 'float32', threshold: 0.7,
    fn: { module: 'keras.metrics', class_name: 'function', config: 'binary_accuracy', registered_name: 'binary_accuracy' },
  });
  assert.deepEqual(metrics.deserialize(metrics.serialize(wrapper)).getConfig(), wrapper.getConfig());
  assert.throws(() => new metrics.Mean({ dtype: 'float16' }), /Metric dtype must be 'float32'/);
});

test('get: Keras names, snake_case class names and aliases give instances with the default names', () => {
  const name = (id: string): string => (metrics.get(id) as metrics.Metric).name;
  assert.ok(metrics.get('mse') instanceof metrics.MeanSquaredError);
  assert.equal(name('mse'), 'mean_squared_error');
  assert.equal(name('MAE'), 'mean_absolute_error');
  assert.equal(name('mean_absolute_error'), 'mean_absolute_error');
  assert.equal(name('accuracy'), 'accuracy');
  assert.ok(metrics.get('accuracy') instanceof metrics.Accuracy);
  assert.ok(metrics.get('sparse_categorical_accuracy') instanceof metrics.SparseCategoricalAccuracy);
  assert.ok(metrics.get('TopKCategoricalAccuracy') instanceof metrics.TopKCategoricalAccuracy);
  assert.ok(metrics.get('bce') instanceof metrics.BinaryCrossentropy);
  assert.ok(metrics.get(metrics.CategoricalAccuracy) instanceof metrics.CategoricalAccuracy);
  assert.equal(metrics.get(meanSquaredError), meanSquaredError);
  assert.equal(metrics.get(null), null);
  assert.throws(() => metrics.get('acuracy'), /Could not interpret metric identifier: acuracy\. Known metrics: .*accuracy.*mse/);
});

test('getCompileMetric resolves \'accuracy\'/\'acc\' from the shapes alone and names metrics after strings', () => {
  const resolve = (id: metrics.MetricIdentifier, yt: number[], yp: number[]): metrics.Metric => metrics.getCompileMetric(id, yt, yp);
  // y_pred's last dimension 1: binary, whatever y_true is.
  assert.ok(resolve('accuracy', [32, 1], [32, 1]) instanceof metrics.BinaryAccuracy);
  assert.ok(resolve('accuracy', [32], [32, 1]) instanceof metrics.BinaryAccuracy);
  // y_true of lower rank, or last dimension 1 against more classes: sparse.
  assert.ok(resolve('accuracy', [32], [32, 10]) instanceof metrics.SparseCategoricalAccuracy);
  assert.ok(resolve('acc', [32, 1], [32, 10]) instanceof metrics.SparseCategoricalAccuracy);
  // Same shapes with several classes: categorical.
  assert.ok(resolve('accuracy', [32, 10], [32, 10]) instanceof metrics.CategoricalAccuracy);
  // Rank-1 predictions: the last dimension is the batch; Keras gives categorical unless it is 1.
  assert.ok(resolve('accuracy', [32], [32]) instanceof metrics.CategoricalAccuracy);
  assert.equal(resolve('acc', [32], [32, 10]).name, 'acc');
  assert.equal(resolve('ACC', [32], [32, 10]).name, 'ACC');
  assert.equal(resolve('accuracy', [32, 1], [32, 1]).name, 'accuracy');
  // The string is the name in the logs: 'mse' logs as 'mse'.
  const mse = resolve('mse', [32, 1], [32, 1]);
  assert.ok(mse instanceof metrics.MeanSquaredError);
  assert.equal(mse.name, 'mse');
  assert.equal(resolve('mean_squared_error', [4, 1], [4, 1]).name, 'mean_squared_error');
  assert.equal(resolve(new metrics.TopKCategoricalAccuracy({ k: 2, name: 'top2' }), [4, 3], [4, 3]).name, 'top2');
  const fromFn = resolve(meanSquaredError, [4, 1], [4, 1]);
  assert.ok(fromFn instanceof metrics.MeanMetricWrapper);
  assert.equal(fromFn.name, 'mean_squared_error');
});

test('bad labels fail before computing, saying which metric fits', () => {
  assert.throws(() => new metrics.CategoricalAccuracy().updateState([0, 2], [[0.1, 0.9, 0], [0.2, 0.3, 0.5]]),
    /categorical_accuracy: `y_true` must be one-hot encoded with the shape of `y_pred`\. Received: y_true\.shape=\(2,\), y_pred\.shape=\(2, 3\)\. For integer class labels use sparse_categorical_accuracy/);
  assert.throws(() => new metrics.SparseCategoricalAccuracy().updateState([[0, 1, 0], [1, 0, 0]], [[0.1, 0.9, 0], [0.2, 0.3, 0.5]]),
    /sparse_categorical_accuracy: `y_true` must hold one integer label per row of `y_pred`\. .*For one-hot labels use categorical_accuracy/);
  assert.throws(() => new metrics.SparseCategoricalAccuracy().updateState([0, 1, 2], [[0.1, 0.9, 0], [0.2, 0.3, 0.5]]),
    /`y_true` and `y_pred` must have the same batch size/);
  assert.throws(() => new metrics.MeanSquaredError().updateState([[1], [2]], [[1]]), /mean_squared_error: `y_true` and `y_pred` must have the same batch size/);
  assert.throws(() => metrics.getCompileMetric(null as unknown as string, [1], [1]), /Expected metric, received `None`/);
});
