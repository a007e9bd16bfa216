import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { assertClose } from '../../testing/assert_close.js';
import { runLayerTest } from '../../testing/layer_test.js';
import { Activation } from './activation.js';
import { ReLU } from './relu.js';
import { Softmax } from './softmax.js';

const x = convertToTensor([[-10, -5, 0, 2, 5, 10]]);

test('Activation, Softmax and ReLU basics', () => {
  runLayerTest(Activation, { activation: 'tanh' }, { inputShape: [2, 3], expectedOutputShape: [2, 3], expectedTrainableWeights: 0 });
  runLayerTest(Softmax, { axis: 1 }, { inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4] });
  runLayerTest(ReLU, { maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }, { inputShape: [2, 3], expectedOutputShape: [2, 3] });
});

test('Activation applies a keras.activations function by name', () => {
  assert.deepEqual(new Activation('relu').apply(x).toArray(), [[0, 0, 0, 2, 5, 10]]);
  assert.equal(new Activation('swish').getConfig().activation, 'silu');
  assert.throws(() => new Activation('nope'), /Could not interpret activation function identifier: nope/);
});

test('Softmax normalizes along its axis', () => {
  const y = new Softmax({ axis: 0 }).apply(convertToTensor([[1, 2], [1, 4]]));
  assertClose(y.values, [0.5, 1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-2))], { atol: 1e-6, rtol: 1e-6 }, 'axis 0');
});

test("ReLU follows Keras's formula with maxValue, negativeSlope and threshold", () => {
  assert.deepEqual(new ReLU().apply(x).toArray(), [[0, 0, 0, 2, 5, 10]]);
  assert.deepEqual(new ReLU({ maxValue: 5 }).apply(x).toArray(), [[0, 0, 0, 2, 5, 5]]);
  assertClose(new ReLU({ negativeSlope: 0.5, threshold: 3 }).apply(x).values, [-6.5, -4, -1.5, -0.5, 5, 10], { atol: 1e-6, rtol: 0 }, 'threshold');
  const { name: _, ...config } = new ReLU().getConfig();
  assert.deepEqual(Object.entries(config).slice(2), [['max_value', null], ['negative_slope', 0], ['threshold', 0]]);
  assert.throws(() => new ReLU({ maxValue: -1 }), /ReLU: argument 'maxValue' cannot be a negative value, received -1/);
  assert.throws(() => new ReLU({ threshold: -1 }), /ReLU: argument 'threshold' cannot be null or a negative value, received -1/);
});
