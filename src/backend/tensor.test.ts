import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';

test('tensor() from nested arrays, typed arrays and numbers', () => {
  const a = keras.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.shape, [2, 3]);
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(a.toArray(), [[1, 2, 3], [4, 5, 6]]);
  const b = keras.tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
  assert.equal(b.dtype, 'int32');
  assert.deepEqual(b.toArray(), [[1, 2], [3, 4]]);
  const c = keras.tensor(new Uint8Array([0, 255]));
  assert.equal(c.dtype, 'uint8');
  assert.deepEqual(keras.tensor(7).shape, []);
  assert.equal(keras.tensor(7).toArray(), 7);
  assert.equal(keras.tensor([true, false]).dtype, 'bool');
  assert.deepEqual(keras.tensor([1.5, 2.5], [2], 'int32').toArray(), [1, 2]);
  assert.deepEqual(keras.tensor(new Float32Array(6), [3, -1]).shape, [3, 2]);
});

test('dataSync returns a copy', () => {
  const t = keras.tensor([1, 2, 3]);
  const copy = t.dataSync();
  copy[0] = 99;
  assert.equal(t.toArray().toString(), '1,2,3');
});

test('tensor() rejects ragged arrays, wrong sizes and unknown dtypes', () => {
  assert.throws(() => keras.tensor([[1, 2], [3]]), /ragged/);
  assert.throws(() => keras.tensor([1, 2, 3], [2, 2]), /cannot reshape 3 values into shape \(2, 2\)/);
  assert.throws(() => keras.tensor([1], [1], 'float64' as keras.DType), /unknown dtype 'float64'/);
  assert.throws(() => keras.tensor(new Float32Array(6), [-1, -1]), /can only infer one dimension/);
});

test('toString renders like NumPy, eliding long axes', () => {
  assert.equal(keras.tensor([[1, 2], [3, 4.5]]).toString(), 'tensor([[1., 2.],\n        [3., 4.5]], shape=(2, 2), dtype=float32)');
  const long = keras.tensor(new Int32Array(10).map((_, i) => i));
  assert.equal(long.toString(), 'tensor([0, 1, 2, ..., 7, 8, 9], shape=(10,), dtype=int32)');
});

test('NumPy-style methods: reshape, astype, arithmetic, reductions, index', () => {
  const x = keras.tensor(new Uint8Array([0, 51, 102, 153, 204, 255]), [1, 2, 3]);
  const scaled = x.reshape([2, 3, 1]).astype('float32').div(255);
  assert.deepEqual(scaled.shape, [2, 3, 1]);
  assert.equal(scaled.dtype, 'float32');
  assert.ok(Math.abs((scaled.max().toArray() as number) - 1) < 1e-7);
  const m = keras.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(m.add(1).mul(2).sub(2).toArray(), [[2, 4, 6], [8, 10, 12]]);
  assert.deepEqual(m.sum(0).toArray(), [5, 7, 9]);
  assert.deepEqual(m.mean(1).toArray(), [2, 5]);
  assert.deepEqual(m.argmax(1).toArray(), [2, 2]);
  assert.equal(m.min().toArray(), 1);
  // filters[:, :, :, i] in NumPy
  const filters = keras.ops.reshape(keras.tensor(new Float32Array(24).map((_, i) => i)), [2, 2, 3, 2]);
  assert.deepEqual(filters.index(null, null, null, 1).toArray(), [[[1, 3, 5], [7, 9, 11]], [[13, 15, 17], [19, 21, 23]]]);
  assert.deepEqual(m.index([0, 1]).toArray(), [[1, 2, 3]]);
  assert.deepEqual(m.index(-1, [1, 3]).toArray(), [5, 6]);
  assert.throws(() => m.index(2), /index: index 2 is out of bounds for axis 0 with size 2/);
});
