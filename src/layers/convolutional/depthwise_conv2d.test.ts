import assert from 'node:assert/strict';
import test from 'node:test';
import { Tensor } from '../../backend/tensor.js';
import { assertClose } from '../../testing/assert_close.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { DepthwiseConv2D } from './depthwise_conv2d.js';

test('DepthwiseConv2D basics: shapes, weights, config round trip, training step', () => {
  runLayerTest(DepthwiseConv2D, { kernelSize: 2 },
    { inputShape: [3, 5, 5, 4], expectedOutputShape: [3, 4, 4, 4], expectedTrainableWeights: 2, expectedNonTrainableWeights: 0 });
  runLayerTest(DepthwiseConv2D, { kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' },
    { inputShape: [2, 7, 6, 3], expectedOutputShape: [2, 4, 3, 6], expectedTrainableWeights: 2 });
  runLayerTest(DepthwiseConv2D, { kernelSize: 3, dilationRate: 2, useBias: false, activation: 'sigmoid' },
    { inputShape: [1, 8, 9, 2], expectedOutputShape: [1, 4, 5, 2], expectedTrainableWeights: 1 });
});

/** act(depthwise(x, w) + b) with plain loops: 'valid', stride 1, output channel c·m + j. */
function naiveDepthwise(x: Tensor, w: Tensor, b: Tensor, act: (v: number) => number): Float32Array {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , m] = w.shape;
  const [oh, ow] = [h - kh + 1, wd - kw + 1];
  const out = new Float32Array(n * oh * ow * c * m);
  for (let i = 0; i < n; i++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++) for (let k = 0; k < c; k++) {
    for (let j = 0; j < m; j++) {
      let s = b.values[k * m + j];
      for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
        s += x.values[((i * h + y + p) * wd + z + q) * c + k] * w.values[((p * kw + q) * c + k) * m + j];
      }
      out[(((i * oh + y) * ow + z) * c + k) * m + j] = act(s);
    }
  }
  return out;
}

test('DepthwiseConv2D computes act(depthwise(x, kernel) + bias) with Keras\'s (kH, kW, channels, multiplier) kernel', () => {
  const x = randomTensor([2, 6, 5, 3], 1);
  for (const [activation, act] of [['relu6', (v: number) => Math.min(Math.max(v, 0), 6)], ['linear', (v: number) => v]] as const) {
    const layer = new DepthwiseConv2D([3, 2], { depthMultiplier: 2, activation });
    layer.build([2, 6, 5, 3]);
    assert.deepEqual(layer.weights.map((v) => [v.name, v.shape]), [['kernel', [3, 2, 3, 2]], ['bias', [6]]]);
    layer.setWeights([randomTensor([3, 2, 3, 2], 2, -3, 3), randomTensor([6], 3)]);
    const y = layer.apply(x);
    assertClose(y.values, naiveDepthwise(x, layer.kernel!.value, layer.bias!.value, act), { atol: 1e-5, rtol: 1e-5 }, activation);
  }
});

test('DepthwiseConv2D rejects bad arguments and inputs with Keras-style messages', () => {
  assert.throws(() => new DepthwiseConv2D(3, { depthMultiplier: 0 }),
    /DepthwiseConv2D: Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier=0./);
  assert.throws(() => new DepthwiseConv2D(0), /DepthwiseConv2D: argument 'kernelSize' must be a positive integer or a list of 2 positive integers, received 0/);
  assert.throws(() => new DepthwiseConv2D(3, { padding: 'full' as 'same' }), /DepthwiseConv2D: argument 'padding' must be 'valid' or 'same'/);
  assert.throws(() => new DepthwiseConv2D(3, { depthwiseConstraint: 'non_neg' as unknown as null }),
    /DepthwiseConv2D: argument 'depthwiseConstraint' is not supported by keras-ts and must be null/);
  const layer = new DepthwiseConv2D(3, { name: 'dw' });
  layer.apply(randomTensor([1, 5, 5, 2], 1));
  assert.throws(() => layer.apply(randomTensor([1, 5, 5, 3], 1)), /expected axis -1 of input shape to have value 2/);
});

test('DepthwiseConv2D config holds Keras\'s keys, order and defaults', () => {
  const config = new DepthwiseConv2D(3).getConfig();
  assert.deepEqual(Object.keys(config), ['name', 'trainable', 'dtype', 'depth_multiplier', 'kernel_size', 'strides', 'padding',
    'data_format', 'dilation_rate', 'activation', 'use_bias', 'depthwise_initializer', 'bias_initializer',
    'depthwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'bias_constraint']);
  assert.equal(config.depth_multiplier, 1);
  assert.deepEqual(config.kernel_size, [3, 3]);
  assert.equal(config.activation, 'linear');
  assert.equal((config.depthwise_initializer as { class_name: string }).class_name, 'GlorotUniform');
});
