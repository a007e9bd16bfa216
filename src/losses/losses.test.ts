/** keras.losses against their formulas in float64, reductions, configs, lookup, errors and gradients. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { Tensor } from '../backend/tensor.js';
import { convertToTensor } from '../ops/core.js';
import { assertClose } from '../testing/assert_close.js';
import { checkGradients, uniformTensor } from '../testing/gradient_check.js';
import { randomF32, randomI32 } from '../testing/random.js';
import * as losses from './index.js';

const EPS = 1e-7;
const t = (values: ArrayLike<number>, shape: number[]): Tensor => convertToTensor(Float32Array.from(values), shape);
const close = (actual: Tensor, expected: ArrayLike<number>, label: string, atol = 1e-5): void =>
  assertClose(actual.values, expected, { atol, rtol: 1e-4 }, label);
// The clip bounds as float32 holds them (1 - 1e-7 rounds to 1 - 1.19e-7), as Keras computes in float32.
const clip = (p: number): number => Math.min(Math.max(p, Math.fround(EPS)), Math.fround(1 - EPS));

/** Probabilities: rows of positive values summing to one. */
function probs(rows: number, classes: number, seed: number): Float32Array {
  const v = randomF32(rows * classes, seed, 0.05, 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < classes; c++) s += v[r * classes + c];
    for (let c = 0; c < classes; c++) v[r * classes + c] /= s;
  }
  return v;
}

function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  Array.from(labels).forEach((l, i) => (out[i * classes + l] = 1));
  return out;
}

// ---- float64 references ----------------------------------------------------------------------

function rowsOf(v: ArrayLike<number>, width: number): number[][] {
  return Array.from({ length: v.length / width }, (_, r) => Array.from(v).slice(r * width, (r + 1) * width).map(Number));
}

function cceRef(y: ArrayLike<number>, p: ArrayLike<number>, classes: number, fromLogits: boolean, smoothing = 0): number[] {
  const ys = rowsOf(y, classes);
  return rowsOf(p, classes).map((row, r) => {
    const target = ys[r].map((v) => v * (1 - smoothing) + smoothing / classes);
    let logp: number[];
    if (fromLogits) {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
      logp = row.map((x) => x - lse);
    } else {
      const s = row.reduce((a, b) => a + b, 0);
      logp = row.map((x) => Math.log(clip(x / s)));
    }
    return -target.reduce((acc, tv, c) => acc + tv * logp[c], 0);
  });
}

function bceRef(y: ArrayLike<number>, p: ArrayLike<number>, width: number, fromLogits: boolean, smoothing = 0): number[] {
  const ys = rowsOf(y, width);
  return rowsOf(p, width).map((row, r) => row.reduce((acc, x, c) => {
    const tv = ys[r][c] * (1 - smoothing) + 0.5 * smoothing;
    const e = fromLogits
      ? Math.max(x, 0) - x * tv + Math.log1p(Math.exp(-Math.abs(x)))
      : -(tv * Math.log(clip(x)) + (1 - tv) * Math.log(1 - clip(x)));
    return acc + e / width;
  }, 0));
}

const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

// ---- formulas --------------------------------------------------------------------------------

test('mean squared / absolute error match their formulas per sample', () => {
  const y = randomF32(12, 1);
  const p = randomF32(12, 2);
  const mse = rowsOf(y, 4).map((row, r) => meanOf(row.map((v, c) => (v - p[r * 4 + c]) ** 2)));
  const mae = rowsOf(y, 4).map((row, r) => meanOf(row.map((v, c) => Math.abs(v - p[r * 4 + c]))));
  close(losses.meanSquaredError(t(y, [3, 4]), t(p, [3, 4])), mse, 'mse fn');
  close(losses.mse(t(y, [3, 4]), t(p, [3, 4])), mse, 'mse alias');
  close(losses.meanAbsoluteError(t(y, [3, 4]), t(p, [3, 4])), mae, 'mae fn');
  close(new losses.MeanSquaredError().apply(t(y, [3, 4]), t(p, [3, 4])), [meanOf(mse)], 'MeanSquaredError');
  close(new losses.MeanAbsoluteError().apply(t(y, [3, 4]), t(p, [3, 4])), [meanOf(mae)], 'MeanAbsoluteError');
  // Keras's docstring examples.
  close(new losses.MeanSquaredError().apply([1, 0, 1], [0.9, 0.1, 0.8]), [0.02], 'mse doc');
  close(new losses.MeanAbsoluteError().apply([1, 0.3, 1], [1.9, 0.3, 1.8]), [0.5666667], 'mae doc');
  // (N,) targets against (N, 1) predictions: the rank-1 side is expanded.
  close(losses.meanSquaredError([1, 2], [[0], [0]]), [1, 4], 'mse expand');
});

test('categorical crossentropy: probabilities (rescaled, clipped at 1e-7), logits, label smoothing', () => {
  const labels = randomI32(6, 3, 5);
  const y = oneHot(labels, 5);
  const p = probs(6, 5, 4);
  close(losses.categoricalCrossentropy(t(y, [6, 5]), t(p, [6, 5])), cceRef(y, p, 5, false), 'probs');
  const logits = randomF32(30, 5, -3, 3);
  close(losses.categoricalCrossentropy(t(y, [6, 5]), t(logits, [6, 5]), { fromLogits: true }), cceRef(y, logits, 5, true), 'logits');
  close(losses.categoricalCrossentropy(t(y, [6, 5]), t(p, [6, 5]), { labelSmoothing: 0.2 }), cceRef(y, p, 5, false, 0.2), 'smoothing');
  close(new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).apply(t(y, [6, 5]), t(logits, [6, 5])),
    [meanOf(cceRef(y, logits, 5, true, 0.1))], 'class, logits + smoothing');
  // A zero probability on the true class is clipped to 1e-7: loss -log(1e-7), not infinity.
  close(losses.categoricalCrossentropy([[1, 0]], [[0, 1]]), [-Math.log(EPS)], 'clipped', 1e-3);
  // Unnormalized probabilities are rescaled to sum to one first.
  close(losses.categoricalCrossentropy([[0, 1]], [[2, 2]]), [Math.log(2)], 'rescaled');
  // Keras's docstring example.
  close(losses.categoricalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), [0.0513, 2.303], 'doc', 1e-3);
});

test('sparse categorical crossentropy: labels (N,) or (N, 1), probabilities and logits, ignoreClass', () => {
  const labels = randomI32(8, 6, 4);
  const p = probs(8, 4, 7);
  const expected = cceRef(oneHot(labels, 4), p, 4, false);
  close(losses.sparseCategoricalCrossentropy(t(labels, [8]), t(p, [8, 4])), expected, '(N,)');
  close(losses.sparseCategoricalCrossentropy(t(labels, [8, 1]), t(p, [8, 4])), expected, '(N, 1)');
  const logits = randomF32(32, 8, -4, 4);
  close(new losses.SparseCategoricalCrossentropy({ fromLogits: true }).apply(t(labels, [8]), t(logits, [8, 4])),
    [meanOf(cceRef(oneHot(labels, 4), logits, 4, true))], 'class, logits');
  // ignoreClass: those samples get loss 0 and are left out of the mean.
  const y = [1, -1, 2, -1];
  const q = probs(4, 3, 9);
  const full = cceRef(oneHot([1, 0, 2, 0], 3), q, 3, false);
  close(losses.sparseCategoricalCrossentropy(y, t(q, [4, 3]), { ignoreClass: -1 }), [full[0], 0, full[2], 0], 'ignored zero');
  const loss = new losses.SparseCategoricalCrossentropy({ ignoreClass: -1 });
  close(loss.apply(y, t(q, [4, 3])), [(full[0] + full[2]) / 2], 'mean over the valid samples');
  close(new losses.SparseCategoricalCrossentropy({ ignoreClass: -1, reduction: 'sum' }).apply(y, t(q, [4, 3])),
    [full[0] + full[2]], 'sum');
});

test('binary crossentropy: probabilities clipped at 1e-7, logits, label smoothing, mean over the last axis', () => {
  const y = Float32Array.from(randomI32(12, 10, 2));
  const p = randomF32(12, 11, 0.01, 0.99);
  close(losses.binaryCrossentropy(t(y, [4, 3]), t(p, [4, 3])), bceRef(y, p, 3, false), 'probs');
  const logits = randomF32(12, 12, -5, 5);
  close(losses.binaryCrossentropy(t(y, [4, 3]), t(logits, [4, 3]), { fromLogits: true }), bceRef(y, logits, 3, true), 'logits');
  close(new losses.BinaryCrossentropy({ labelSmoothing: 0.2 }).apply(t(y, [4, 3]), t(p, [4, 3])),
    [meanOf(bceRef(y, p, 3, false, 0.2))], 'smoothing');
  close(new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).apply(t(y, [4, 3]), t(logits, [4, 3])),
    [meanOf(bceRef(y, logits, 3, true, 0.1))], 'logits + smoothing');
  close(losses.binaryCrossentropy([[1, 0]], [[0, 1]]), bceRef([1, 0], [0, 1], 2, false), 'clipped', 1e-3);
  close(losses.binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), [0.916, 0.714], 'doc', 1e-3);
  // The class squeezes/expands ranks first: (N,) labels with (N, 1) predictions.
  close(new losses.BinaryCrossentropy({ reduction: 'none' }).apply([1, 0], [[0.8], [0.4]]),
    [-Math.log(0.8), -Math.log(0.6)], '(N,) vs (N, 1)');
});

// ---- reductions and sample weights -----------------------------------------------------------

test('every reduction, with and without sample weights, as loss.py computes them', () => {
  const y = randomF32(8, 20);
  const p = randomF32(8, 21);
  const per = rowsOf(y, 2).map((row, r) => meanOf(row.map((v, c) => (v - p[r * 2 + c]) ** 2)));
  const w = [0.5, 2, 0, 1];
  const weighted = per.map((v, i) => v * w[i]);
  const sumW = weighted.reduce((a, b) => a + b, 0);
  const make = (reduction: losses.Reduction): losses.Loss => new losses.MeanSquaredError({ reduction });
  const [Y, P] = [t(y, [4, 2]), t(p, [4, 2])];
  close(make('sum_over_batch_size').apply(Y, P), [meanOf(per)], 'sum_over_batch_size');
  close(make('mean').apply(Y, P), [meanOf(per)], 'mean');
  close(make('sum').apply(Y, P), [per.reduce((a, b) => a + b, 0)], 'sum');
  close(make('none').apply(Y, P), per, 'none');
  close(make(null).apply(Y, P), per, 'null');
  close(make('sum_over_batch_size').apply(Y, P, w), [sumW / 4], 'weighted sum_over_batch_size divides by the count');
  close(make('sum_over_batch_size').apply(Y, P, t(w, [4, 1])), [sumW / 4], 'weights (N, 1)');
  close(make('sum').apply(Y, P, w), [sumW], 'weighted sum');
  close(make('mean_with_sample_weight').apply(Y, P, w), [sumW / 3.5], 'mean_with_sample_weight');
  close(make('none').apply(Y, P, w), weighted, 'weighted none');
  close(make('sum_over_batch_size').apply(Y, P, 2), [2 * meanOf(per)], 'scalar weight');
  close(make('sum_over_batch_size').apply(Y, P, [0, 0, 0, 0]), [0], 'all-zero weights');
  assert.equal(make('sum_over_batch_size').apply(Y, P).rank, 0);
  assert.equal(new losses.MeanSquaredError().reduction, 'sum_over_batch_size');
});

// ---- configs, lookup -------------------------------------------------------------------------

test('getConfig has exactly Keras\'s keys and values; fromConfig and deserialize round-trip', () => {
  assert.deepEqual(new losses.CategoricalCrossentropy().getConfig(),
    { name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0, axis: -1 });
  assert.deepEqual(new losses.SparseCategoricalCrossentropy().getConfig(),
    { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, ignore_class: null });
  assert.deepEqual(new losses.BinaryCrossentropy().getConfig(),
    { name: 'binary_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0, axis: -1 });
  assert.deepEqual(new losses.MeanSquaredError().getConfig(), { name: 'mean_squared_error', reduction: 'sum_over_batch_size' });
  assert.deepEqual(new losses.MeanAbsoluteError().getConfig(), { name: 'mean_absolute_error', reduction: 'sum_over_batch_size' });
  const custom = new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1, reduction: 'sum', name: 'cce' });
  const again = losses.CategoricalCrossentropy.fromConfig(custom.getConfig());
  assert.ok(again instanceof losses.CategoricalCrossentropy);
  assert.deepEqual(again.getConfig(), custom.getConfig());
  const spec = losses.serialize(new losses.SparseCategoricalCrossentropy({ ignoreClass: 255, reduction: null }));
  assert.deepEqual(spec, {
    module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy', registered_name: null,
    config: { name: 'sparse_categorical_crossentropy', reduction: null, from_logits: false, ignore_class: 255 },
  });
  assert.deepEqual(losses.deserialize(spec).getConfig(), spec.config);
  // A wrapper made directly names its function, as Keras serializes public functions.
  const wrapper = new losses.LossFunctionWrapper(losses.meanSquaredError, { name: 'mse' });
  assert.deepEqual(wrapper.getConfig(), {
    name: 'mse', reduction: 'sum_over_batch_size',
    fn: { module: 'keras.metrics', class_name: 'function', config: 'mean_squared_error', registered_name: 'mean_squared_error' },
  });
  const rebuilt = losses.LossFunctionWrapper.fromConfig.call(losses.MeanSquaredError, wrapper.getConfig());
  assert.deepEqual(rebuilt.getConfig(), wrapper.getConfig());
});

test('get accepts Keras names and aliases, objects, classes and functions', () => {
  assert.equal(losses.get('categorical_crossentropy'), losses.categoricalCrossentropy);
  assert.equal(losses.get('sparse_categorical_crossentropy'), losses.sparseCategoricalCrossentropy);
  assert.equal(losses.get('binary_crossentropy'), losses.binaryCrossentropy);
  assert.equal(losses.get('mean_squared_error'), losses.meanSquaredError);
  assert.equal(losses.get('mse'), losses.meanSquaredError);
  assert.equal(losses.get('MSE'), losses.meanSquaredError);
  assert.equal(losses.get('mean_absolute_error'), losses.meanAbsoluteError);
  assert.equal(losses.get('mae'), losses.meanAbsoluteError);
  assert.ok(losses.get('CategoricalCrossentropy') instanceof losses.CategoricalCrossentropy);
  assert.ok(losses.get(losses.BinaryCrossentropy) instanceof losses.BinaryCrossentropy);
  const loss = new losses.MeanAbsoluteError();
  assert.equal(losses.get(loss), loss);
  assert.equal(losses.get(null), null);
  const fromSpec = losses.get({ module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: { from_logits: true }, registered_name: null });
  assert.ok(fromSpec instanceof losses.CategoricalCrossentropy && fromSpec.fnOptions.fromLogits === true);
  assert.throws(() => losses.get('categorical_cross_entropy'),
    /Could not interpret loss identifier: categorical_cross_entropy\. Known losses: .*categorical_crossentropy.*mse/);
});

test('getCompileLoss: \'crossentropy\'/\'ce\' by shapes, function names kept as the loss name', () => {
  const resolve = (id: string, yt: number[], yp: number[]): losses.Loss => losses.getCompileLoss(id, yt, yp)!;
  const fnOf = (l: losses.Loss): unknown => (l as losses.LossFunctionWrapper).fn;
  assert.equal(fnOf(resolve('crossentropy', [8, 1], [8, 1])), losses.binaryCrossentropy);
  assert.equal(fnOf(resolve('ce', [8], [8, 10])), losses.sparseCategoricalCrossentropy);
  assert.equal(fnOf(resolve('CE', [8, 1], [8, 10])), losses.sparseCategoricalCrossentropy);
  assert.equal(fnOf(resolve('crossentropy', [8, 10], [8, 10])), losses.categoricalCrossentropy);
  assert.equal(resolve('ce', [8], [8, 10]).name, 'ce');
  const mse = resolve('mse', [8, 1], [8, 1]);
  assert.ok(mse instanceof losses.LossFunctionWrapper && mse.name === 'mse' && fnOf(mse) === losses.meanSquaredError);
  assert.equal(resolve('CategoricalCrossentropy', [8, 3], [8, 3]).name, 'categorical_crossentropy');
  assert.equal(losses.getCompileLoss(losses.meanAbsoluteError, [8, 1], [8, 1])!.name, 'mean_absolute_error');
  assert.equal(losses.getCompileLoss(null, [8], [8]), null);
});

// ---- errors ----------------------------------------------------------------------------------

test('bad labels and arguments fail before computing, in Keras\'s words', () => {
  const p = t(probs(4, 3, 30), [4, 3]);
  assert.throws(() => new losses.CategoricalCrossentropy().apply([0, 2, 1, 1], p),
    /categorical_crossentropy: Arguments `target` and `output` must have the same shape\. Received: target\.shape=\(4,\), output\.shape=\(4, 3\)\. .*use the loss `sparse_categorical_crossentropy`.*keras\.utils\.toCategorical/);
  assert.throws(() => losses.categoricalCrossentropy([[0], [2], [1], [1]], p), /sparse_categorical_crossentropy.*toCategorical/);
  assert.throws(() => new losses.SparseCategoricalCrossentropy().apply(t(oneHot([0, 1, 2, 0], 3), [4, 3]), p),
    /must have the same shape up until the last dimension: .*target\.shape=\(4, 3\), output\.shape=\(4, 3\)\. `y_true` looks one-hot encoded: use the loss `categorical_crossentropy`/);
  assert.throws(() => new losses.SparseCategoricalCrossentropy().apply([0, 1, 2], p),
    /sparse_categorical_crossentropy: `y_true` and `y_pred` must have the same batch size \(first dimension\)\. Received: y_true\.shape=\(3,\), y_pred\.shape=\(4, 3\)/);
  assert.throws(() => new losses.MeanSquaredError().apply([[1], [2]], [[1], [2], [3]]), /mean_squared_error: `y_true` and `y_pred` must have the same batch size/);
  assert.throws(() => new losses.MeanSquaredError().apply([[1], [2]], [[1], [2]], [1, 2, 3]),
    /mean_squared_error: the sample weights of shape \(3,\) do not match the loss values of shape \(2,\)/);
  assert.throws(() => new losses.BinaryCrossentropy().apply([[1, 0]], [[0.5, 0.5, 0.5]]), /must have the same shape/);
  assert.throws(() => new losses.MeanSquaredError({ reduction: 'avg' as losses.Reduction }),
    /Invalid value for argument `reduction`\. Expected one of \{'sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', None\}\. Received: reduction=avg/);
  assert.throws(() => losses.sparseCategoricalCrossentropy([3, 0, 0, 0], p), /labels must be integers in \[0, 3\)/);
});

// ---- gradients -------------------------------------------------------------------------------

test('every loss is differentiable end to end (finite differences)', () => {
  const y = t(oneHot([0, 2, 1], 3), [3, 3]);
  const p = t(probs(3, 3, 40), [3, 3]);
  const logits = uniformTensor([3, 3], 41, -2, 2);
  const scalar = (loss: losses.Loss, yt: Tensor) => (x: Tensor): Tensor => loss.apply(yt, x, [1, 0.5, 2]);
  checkGradients(scalar(new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 }), y), [p], { eps: 1e-3 });
  checkGradients(scalar(new losses.CategoricalCrossentropy({ fromLogits: true }), y), [logits]);
  checkGradients(scalar(new losses.SparseCategoricalCrossentropy(), t([0, 2, 1], [3])), [p], { eps: 1e-3 });
  checkGradients(scalar(new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 2 }), t([0, 2, 1], [3])), [logits]);
  checkGradients(scalar(new losses.BinaryCrossentropy(), t([1, 0, 1, 0, 0, 1, 1, 1, 0], [3, 3])), [p], { eps: 1e-3 });
  checkGradients(scalar(new losses.BinaryCrossentropy({ fromLogits: true }), t([1, 0, 1, 0, 0, 1, 1, 1, 0], [3, 3])), [logits]);
  checkGradients(scalar(new losses.MeanSquaredError(), y), [logits]);
  checkGradients(scalar(new losses.MeanAbsoluteError(), y), [logits]);
});
