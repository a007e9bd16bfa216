import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { runLayerTest } from '../../testing/layer_test.js';
import { Input } from '../core/input_layer.js';
import { Add } from './add.js';
import { Concatenate } from './concatenate.js';

test('Add and Concatenate basics', () => {
  runLayerTest(() => new Add(), { inputShape: [[2, 3], [2, 3], [2, 3]], expectedOutputShape: [2, 3], expectedTrainableWeights: 0 });
  runLayerTest(() => new Concatenate(), { inputShape: [[2, 4, 3], [2, 4, 5]], expectedOutputShape: [2, 4, 8] });
  runLayerTest(() => new Concatenate({ axis: 1 }), { inputShape: [[2, 1, 3], [2, 4, 3]], expectedOutputShape: [2, 5, 3] });
});

test('Add sums elementwise, broadcasting lower-rank inputs after the batch axis', () => {
  const a = convertToTensor([[1, 2], [3, 4]]);
  assert.deepEqual(new Add().apply([a, a]).toArray(), [[2, 4], [6, 8]]);
  const b = convertToTensor([[[1, 1]], [[2, 2]]]);
  assert.deepEqual(new Add().apply([b, convertToTensor([[10], [20]])]).toArray(), [[[11, 11]], [[22, 22]]]);
});

test('merge layers reject incompatible inputs', () => {
  assert.throws(() => new Add().apply([Input({ shape: [3] }), Input({ shape: [4] })]), /Inputs have incompatible shapes. Received shapes \[\(None, 3\), \(None, 4\)\]/);
  assert.throws(() => new Add().apply([convertToTensor([[1]]), convertToTensor([[1], [2]])]), /Cannot merge tensors with different batch sizes/);
  assert.throws(() => new Concatenate().apply([Input({ shape: [2, 3] }), Input({ shape: [4, 3] })]),
    /A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis/);
  assert.throws(() => new Add().apply(convertToTensor([1, 2])), /A merge layer should be called on a list of inputs/);
  assert.equal(new Concatenate({ axis: 1 }).getConfig().axis, 1);
});
