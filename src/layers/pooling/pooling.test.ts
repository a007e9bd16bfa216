import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { AvgPool2D, MaxPool2D } from '../index.js';
import { AveragePooling2D } from './average_pooling2d.js';
import { GlobalAveragePooling2D } from './global_average_pooling2d.js';
import { GlobalMaxPooling2D } from './global_max_pooling2d.js';
import { MaxPooling2D } from './max_pooling2d.js';

test('MaxPooling2D and AveragePooling2D basics', () => {
  for (const cls of [MaxPooling2D, AveragePooling2D]) {
    runLayerTest(cls, {}, { inputShape: [2, 6, 5, 3], expectedOutputShape: [2, 3, 2, 3], expectedTrainableWeights: 0, expectedNonTrainableWeights: 0 });
    runLayerTest(cls, { poolSize: 3, strides: 1, padding: 'same' }, { inputShape: [1, 4, 5, 2], expectedOutputShape: [1, 4, 5, 2] });
    runLayerTest(cls, { poolSize: [2, 3], strides: [2, 1] }, { inputShape: [1, 7, 7, 1], expectedOutputShape: [1, 3, 5, 1] });
  }
});

test('pooling constructors take a pool size, options, or both; strides default to the pool size', () => {
  const layers = [new MaxPooling2D(), new MaxPooling2D(3), new MaxPooling2D({ poolSize: 3, strides: 1 }), new MaxPooling2D([2, 3], { padding: 'same' })];
  assert.deepEqual(layers.map((l) => [l.poolSize, l.strides, l.padding]),
    [[[2, 2], [2, 2], 'valid'], [[3, 3], [3, 3], 'valid'], [[3, 3], [1, 1], 'valid'], [[2, 3], [2, 3], 'same']]);
  assert.equal(MaxPool2D, MaxPooling2D);
  assert.equal(AvgPool2D, AveragePooling2D);
  assert.ok(new MaxPooling2D().built, 'Keras builds weightless pooling layers at construction');
});

test('pooling values: max and average over each window', () => {
  const x = convertToTensor([[[[1], [2]], [[3], [4]]]]);
  assert.deepEqual(new MaxPooling2D().apply(x).toArray(), [[[[4]]]]);
  assert.deepEqual(new AveragePooling2D().apply(x).toArray(), [[[[2.5]]]]);
});

test('pooling rejects wrong ranks and bad arguments', () => {
  assert.throws(() => new MaxPooling2D(2, { name: 'pool_rank' }).apply(randomTensor([4, 4, 1], 1)),
    { message: 'Input 0 of layer "pool_rank" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: (4, 4, 1)' });
  assert.throws(() => new MaxPooling2D(-1), /MaxPooling2D: argument 'poolSize' must be a positive integer or a list of 2 positive integers, received -1/);
  assert.throws(() => new AveragePooling2D(2, { padding: 'causal' as 'same' }), /AveragePooling2D: argument 'padding' must be 'valid' or 'same'/);
  assert.throws(() => new MaxPooling2D(5, { name: 'pool_big' }).apply(randomTensor([1, 3, 3, 1], 1)), /MaxPooling2D layer "pool_big"|maxPool: the window/);
});

test('GlobalAveragePooling2D and GlobalMaxPooling2D basics and values', () => {
  for (const cls of [GlobalAveragePooling2D, GlobalMaxPooling2D]) {
    runLayerTest(cls, {}, { inputShape: [2, 4, 5, 3], expectedOutputShape: [2, 3], expectedTrainableWeights: 0 });
    runLayerTest(cls, { keepdims: true }, { inputShape: [2, 4, 5, 3], expectedOutputShape: [2, 1, 1, 3] });
  }
  const x = convertToTensor([[[[1, -1], [2, -2]], [[3, -3], [6, -6]]]]);
  assert.deepEqual(new GlobalAveragePooling2D().apply(x).toArray(), [[3, -3]]);
  assert.deepEqual(new GlobalMaxPooling2D().apply(x).toArray(), [[6, -1]]);
});
