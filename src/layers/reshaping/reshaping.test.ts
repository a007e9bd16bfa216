import assert from 'node:assert/strict';
import test from 'node:test';
import { KerasTensor } from '../../backend/keras_tensor.js';
import { convertToTensor } from '../../ops/core.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { Input } from '../core/input_layer.js';
import { Flatten } from './flatten.js';
import { Reshape } from './reshape.js';

test('Flatten keeps the batch dimension', () => {
  runLayerTest(Flatten, {}, { inputShape: [2, 3, 4, 5], expectedOutputShape: [2, 60], expectedTrainableWeights: 0 });
  runLayerTest(Flatten, {}, { inputShape: [3, 7], expectedOutputShape: [3, 7] });
  assert.deepEqual(new Flatten().apply(convertToTensor([1, 2, 3])).shape, [3, 1]);
  assert.deepEqual(new Flatten().apply(convertToTensor([[[1, 2], [3, 4]]])).toArray(), [[1, 2, 3, 4]]);
  const unknown = new Flatten().apply(Input({ shape: [null, 4] }));
  assert.ok(unknown instanceof KerasTensor);
  assert.deepEqual(unknown.shape, [null, null]);
});

test('Reshape reshapes each sample, inferring one -1', () => {
  runLayerTest(Reshape, { targetShape: [-1, 4] }, { inputShape: [2, 3, 8], expectedOutputShape: [2, 6, 4] });
  runLayerTest(Reshape, { targetShape: [2, 2, 3] }, { inputShape: [3, 12], expectedOutputShape: [3, 2, 2, 3] });
  assert.throws(() => new Reshape([-1, -1]), /Reshape: argument 'targetShape' must hold positive integers and at most one -1/);
  assert.throws(() => new Reshape([5], { name: 'reshape_bad' }).apply(randomTensor([2, 6], 1)),
    /Reshape layer "reshape_bad": the total size of the tensor must be unchanged. Received: input_shape=\(6,\), target_shape=\(5,\)/);
  assert.deepEqual(new Reshape([3, -1]).getConfig().target_shape, [3, -1]);
});
