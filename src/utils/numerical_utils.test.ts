import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';

test('toCategorical one-hot encodes like keras.utils.to_categorical', () => {
  assert.deepEqual(keras.utils.toCategorical([0, 2, 1]).toArray(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  const y = keras.utils.toCategorical(keras.tensor([[3], [0]], undefined, 'int32'), 5);
  assert.deepEqual(y.shape, [2, 5]);
  assert.equal(y.dtype, 'float32');
  assert.throws(() => keras.utils.toCategorical([0, 7], 5), /label 7 at index 1 does not fit numClasses=5/);
  assert.deepEqual(keras.utils.toCategorical([1.7], 3).toArray(), [[0, 1, 0]]); // truncated, as Keras's int cast
  assert.throws(() => keras.utils.toCategorical([-1]), /non-negative integers, received -1/);
});

test('normalize scales rows to unit L2 norm', () => {
  const n = keras.utils.normalize(keras.tensor([[3, 4], [0, 0]])).toArray() as number[][];
  assert.ok(Math.abs(n[0][0] - 0.6) < 1e-6 && Math.abs(n[0][1] - 0.8) < 1e-6);
  assert.deepEqual(n[1], [0, 0]);
});
