import assert from 'node:assert/strict';
import test from 'node:test';
import { Tensor } from '../../backend/tensor.js';
import { assertClose } from '../../testing/assert_close.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { Conv2D } from './conv2d.js';

test('Conv2D basics: shapes, weights, config round trip, training step', () => {
  runLayerTest(Conv2D, { filters: 5, kernelSize: 2 },
    { inputShape: [3, 5, 5, 4], expectedOutputShape: [3, 4, 4, 5], expectedTrainableWeights: 2, expectedNonTrainableWeights: 0 });
  runLayerTest(Conv2D, { filters: 6, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' },
    { inputShape: [2, 7, 6, 3], expectedOutputShape: [2, 4, 3, 6], expectedTrainableWeights: 2 });
  runLayerTest(Conv2D, { filters: 2, kernelSize: 3, dilationRate: 2, useBias: false, activation: 'sigmoid' },
    { inputShape: [1, 8, 9, 2], expectedOutputShape: [1, 4, 5, 2], expectedTrainableWeights: 1 });
});

/** act(conv2d(x, w) + b) with plain loops: NHWC input, HWIO kernel, 'valid', stride 1. */
function naiveConv(x: Tensor, w: Tensor, b: Tensor, act: (v: number) => number): Float32Array {
  const [n, h, wd, c] = x.shape;
  const [kh, kw, , f] = w.shape;
  const [oh, ow] = [h - kh + 1, wd - kw + 1];
  const out = new Float32Array(n * oh * ow * f);
  for (let i = 0; i < n; i++) for (let y = 0; y < oh; y++) for (let z = 0; z < ow; z++) for (let o = 0; o < f; o++) {
    let s = b.values[o];
    for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) for (let k = 0; k < c; k++) {
      s += x.values[((i * h + y + p) * wd + z + q) * c + k] * w.values[((p * kw + q) * c + k) * f + o];
    }
    out[((i * oh + y) * ow + z) * f + o] = act(s);
  }
  return out;
}

test('Conv2D computes act(conv(x, kernel) + bias) with the HWIO kernel, fused relu and unfused tanh alike', () => {
  const x = randomTensor([2, 6, 5, 3], 1);
  for (const [activation, act] of [['relu', (v: number) => Math.max(v, 0)], ['tanh', Math.tanh], ['linear', (v: number) => v]] as const) {
    const layer = new Conv2D(4, [3, 2], { activation });
    layer.build([2, 6, 5, 3]);
    assert.deepEqual(layer.weights.map((v) => [v.name, v.shape]), [['kernel', [3, 2, 3, 4]], ['bias', [4]]]);
    layer.setWeights([randomTensor([3, 2, 3, 4], 2), randomTensor([4], 3)]);
    const y = layer.apply(x);
    assertClose(y.values, naiveConv(x, layer.kernel!.value, layer.bias!.value, act), { atol: 1e-5, rtol: 1e-5 }, activation);
  }
});

test('Conv2D rejects bad arguments and inputs with Keras-style messages', () => {
  assert.throws(() => new Conv2D(-3, 3), /Conv2D: argument 'filters' must be a positive integer, received -3/);
  assert.throws(() => new Conv2D(2.5, 3), /Conv2D: argument 'filters' must be a positive integer, received 2.5/);
  assert.throws(() => new Conv2D(4, 0), /Conv2D: argument 'kernelSize' must be a positive integer or a list of 2 positive integers, received 0/);
  assert.throws(() => new Conv2D(4, 3, { padding: 'full' as 'same' }), /Conv2D: argument 'padding' must be 'valid' or 'same', received 'full'/);
  assert.throws(() => new Conv2D(4, 3, { strides: 2, dilationRate: 2 }), /`strides > 1` not supported in conjunction with `dilation_rate > 1`/);
  assert.throws(() => new Conv2D(4, 3, { dataFormat: 'channels_first' as 'channels_last' }), /Conv2D: argument 'dataFormat' must be 'channels_last'/);
  const conv = new Conv2D(4, 3, { name: 'conv_rank' });
  assert.throws(() => conv.apply(randomTensor([28, 28, 1], 1)),
    { message: 'Input 0 of layer "conv_rank" is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape received: (28, 28, 1)' });
  assert.throws(() => new Conv2D(4, 5, { name: 'conv_big' }).apply(randomTensor([1, 3, 3, 1], 1)),
    /Conv2D layer "conv_big": the window \(size 5, dilation 1\) spans 5 pixels, more than the input's 3/);
  conv.apply(randomTensor([1, 5, 5, 2], 1));
  assert.throws(() => conv.apply(randomTensor([1, 5, 5, 3], 1)), /expected axis -1 of input shape to have value 2/);
});

test('Conv2D config holds Keras defaults and survives the round trip', () => {
  const conv = new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] });
  const config = conv.getConfig();
  assert.deepEqual(Object.keys(config), ['name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'data_format',
    'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
    'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint']);
  assert.deepEqual(config.kernel_size, [3, 3]);
  assert.equal(config.activation, 'relu');
  assert.equal((config.kernel_initializer as { class_name: string }).class_name, 'GlorotUniform');
  assert.deepEqual(conv.batchInputShape, [null, 28, 28, 1]);
});
