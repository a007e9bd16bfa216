import assert from 'node:assert/strict';
import test from 'node:test';
import { matmul } from '../../ops/numpy.js';
import { assertClose } from '../../testing/assert_close.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { Dense } from './dense.js';

test('Dense basics: shapes, weights, config round trip, training step', () => {
  runLayerTest(Dense, { units: 5 }, { inputShape: [2, 3], expectedOutputShape: [2, 5], expectedTrainableWeights: 2, expectedNonTrainableWeights: 0 });
  runLayerTest(Dense, { units: 4, activation: 'softmax', useBias: false },
    { inputShape: [3, 6], expectedOutputShape: [3, 4], expectedTrainableWeights: 1 });
  runLayerTest(Dense, { units: 3, activation: 'relu' }, { inputShape: [2, 3, 4, 6], expectedOutputShape: [2, 3, 4, 3], expectedTrainableWeights: 2 });
});

test('Dense acts on the last axis with an (in, units) kernel', () => {
  const dense = new Dense(3);
  const x = randomTensor([2, 4, 5], 1);
  const y = dense.apply(x);
  assert.deepEqual(dense.weights.map((v) => [v.name, v.shape]), [['kernel', [5, 3]], ['bias', [3]]]);
  assertClose(y.values, matmul(x, dense.kernel!.value).values, { atol: 1e-6, rtol: 1e-6 }, 'zero bias');
});

test('Dense rejects bad units and inputs', () => {
  for (const units of [0, -2, 1.5]) assert.throws(() => new Dense(units), new RegExp(`Dense: argument 'units' must be a positive integer, received ${units}`));
  const dense = new Dense(2, { name: 'dense_check' });
  assert.throws(() => dense.apply(randomTensor([4], 1)),
    { message: 'Input 0 of layer "dense_check" is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (4,)' });
  dense.apply(randomTensor([1, 4], 1));
  assert.throws(() => dense.apply(randomTensor([1, 5], 1)), /expected axis -1 of input shape to have value 4, but received input with shape \(1, 5\)/);
  assert.throws(() => new Dense(2, { kernelConstraint: 'max_norm' as unknown as null }), /Dense: argument 'kernelConstraint' is not supported/);
});
