import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { assertClose } from '../../testing/assert_close.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { BatchNormalization } from './batch_normalization.js';

test('BatchNormalization basics', () => {
  for (const training of [false, true]) {
    runLayerTest(BatchNormalization, {}, { inputShape: [4, 5, 6, 3], expectedOutputShape: [4, 5, 6, 3],
      expectedTrainableWeights: 2, expectedNonTrainableWeights: 2, callOptions: { training } });
  }
  runLayerTest(BatchNormalization, { center: false, scale: false, axis: 1 },
    { inputShape: [4, 3, 2], expectedOutputShape: [4, 3, 2], expectedTrainableWeights: 0, expectedNonTrainableWeights: 2 });
});

test('BatchNormalization weights: gamma, beta, moving_mean, moving_variance with Keras defaults', () => {
  const bn = new BatchNormalization();
  bn.build([null, 3]);
  assert.deepEqual(bn.weights.map((v) => [v.name, v.trainable, Array.from(v.value.values)]),
    [['gamma', true, [1, 1, 1]], ['beta', true, [0, 0, 0]], ['moving_mean', false, [0, 0, 0]], ['moving_variance', false, [1, 1, 1]]]);
  assert.deepEqual([bn.momentum, bn.epsilon, bn.axis], [0.99, 1e-3, -1]);
});

test('BatchNormalization training uses batch statistics and moves the moving ones', () => {
  const bn = new BatchNormalization({ momentum: 0.8, epsilon: 1e-5 });
  const x = convertToTensor([[1, 10], [3, 30], [5, 20], [7, 40]]);
  const y = bn.apply(x, { training: true });
  // Column 0: mean 4, biased variance 5.
  assertClose(y.values.filter((_, i) => i % 2 === 0), [-3, -1, 1, 3].map((v) => v / Math.sqrt(5 + 1e-5)), { atol: 1e-5, rtol: 1e-5 }, 'normalized');
  assertClose(bn.movingMean!.value.values, [0.2 * 4, 0.2 * 25], { atol: 1e-5, rtol: 1e-6 }, 'moving mean');
  assertClose(bn.movingVariance!.value.values, [0.8 + 0.2 * 5, 0.8 + 0.2 * 125], { atol: 1e-4, rtol: 1e-6 }, 'moving variance');
});

test('BatchNormalization inference, and a frozen layer even when training, use the moving statistics', () => {
  const bn = new BatchNormalization({ epsilon: 0 + 1e-3 });
  bn.build([null, 2]);
  bn.setWeights([convertToTensor([2, 1]), convertToTensor([1, 0]), convertToTensor([1, -1]), convertToTensor([4, 1])]);
  const x = convertToTensor([[3, 0], [5, 1]]);
  const expected = [2 * 2 / Math.sqrt(4.001) + 1, 1 / Math.sqrt(1.001), 2 * 4 / Math.sqrt(4.001) + 1, 2 / Math.sqrt(1.001)];
  assertClose(bn.apply(x).values, expected, { atol: 1e-5, rtol: 1e-5 }, 'inference');
  bn.trainable = false;
  assertClose(bn.apply(x, { training: true }).values, expected, { atol: 1e-5, rtol: 1e-5 }, 'frozen');
  assert.deepEqual(Array.from(bn.movingMean!.value.values), [1, -1], 'a frozen layer leaves its moving statistics');
  assert.equal(bn.trainableWeights.length, 0);
});

test('BatchNormalization validates its arguments and inputs', () => {
  assert.throws(() => new BatchNormalization({ renorm: true as false }), /BatchNormalization: argument 'renorm' must be false/);
  assert.throws(() => new BatchNormalization({ momentum: 1.5 }), /BatchNormalization: argument 'momentum' must be in \[0, 1\], received 1.5/);
  assert.throws(() => new BatchNormalization({ axis: 3 }).apply(randomTensor([2, 3], 1)), /axis 3 is out of bounds for a tensor of rank 2/);
  const bn = new BatchNormalization({ name: 'bn_check' });
  bn.apply(randomTensor([2, 3], 1));
  assert.throws(() => bn.apply(randomTensor([2, 3, 1], 1)), { message: 'Input 0 of layer "bn_check" is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: (2, 3, 1)' });
});
