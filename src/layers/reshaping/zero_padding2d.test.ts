import assert from 'node:assert/strict';
import test from 'node:test';
import { KerasTensor } from '../../backend/keras_tensor.js';
import { convertToTensor } from '../../ops/core.js';
import { slice } from '../../ops/numpy.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { Input } from '../core/input_layer.js';
import { ZeroPadding2D } from './zero_padding2d.js';

test('ZeroPadding2D basics: an int, a pair, and a pair of pairs', () => {
  runLayerTest(ZeroPadding2D, {}, { inputShape: [2, 3, 4, 5], expectedOutputShape: [2, 5, 6, 5], expectedTrainableWeights: 0 });
  runLayerTest(ZeroPadding2D, { padding: 2 }, { inputShape: [1, 3, 3, 2], expectedOutputShape: [1, 7, 7, 2] });
  runLayerTest(ZeroPadding2D, { padding: [1, 3] }, { inputShape: [1, 3, 3, 2], expectedOutputShape: [1, 5, 9, 2] });
  runLayerTest(ZeroPadding2D, { padding: [[0, 1], [2, 3]] }, { inputShape: [2, 4, 4, 1], expectedOutputShape: [2, 5, 9, 1] });
});

test('ZeroPadding2D pads with zeros on the sides Keras does (its docstring example)', () => {
  const x = convertToTensor([[[[0, 1], [2, 3]]]]);
  const zeros = [[0, 0], [0, 0], [0, 0], [0, 0]];
  assert.deepEqual(new ZeroPadding2D(1).apply(x).toArray(), [[zeros, [[0, 0], [0, 1], [2, 3], [0, 0]], zeros]]);
  const y = new ZeroPadding2D([[1, 0], [0, 2]]).apply(randomTensor([1, 2, 2, 3], 5));
  assert.deepEqual(y.shape, [1, 3, 4, 3]);
  assert.ok(slice(y, [0, 0, 0, 0], [1, 1, 4, 3]).values.every((v) => v === 0), 'the top row is zeros');
  assert.ok(slice(y, [0, 0, 2, 0], [1, 3, 2, 3]).values.every((v) => v === 0), 'the two right columns are zeros');
  assert.deepEqual(slice(y, [0, 1, 0, 0], [1, 2, 2, 3]).values, randomTensor([1, 2, 2, 3], 5).values);
});

test('ZeroPadding2D config and shapes match Keras', () => {
  const layer = new ZeroPadding2D([[3, 3], [3, 3]], { name: 'conv1_pad' });
  assert.deepEqual(layer.getConfig(), {
    name: 'conv1_pad', trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    padding: [[3, 3], [3, 3]], data_format: 'channels_last',
  });
  assert.deepEqual(new ZeroPadding2D().padding, [[1, 1], [1, 1]]);
  const symbolic = new ZeroPadding2D(1).apply(Input({ shape: [null, 7, 3] }));
  assert.ok(symbolic instanceof KerasTensor);
  assert.deepEqual(symbolic.shape, [null, null, 9, 3]);
});

test('ZeroPadding2D rejects bad arguments in Keras\'s words', () => {
  assert.throws(() => new ZeroPadding2D([1, 2, 3]), /^Error: `padding` should have two elements. Received: padding=\(1, 2, 3\).$/);
  assert.throws(() => new ZeroPadding2D([[1, 2, 3], 1]),
    /The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st entry of padding=\(1, 2, 3\)$/);
  assert.throws(() => new ZeroPadding2D([1, [2, -1]]),
    /The `2nd entry of padding` argument must be a tuple of 2 integers. Received 2nd entry of padding=\(2, -1\), including values \{-1\} that do not satisfy `value >= 0`/);
  assert.throws(() => new ZeroPadding2D('same' as unknown as number), /`padding` should be either an int, a tuple of 2 ints/);
  assert.throws(() => new ZeroPadding2D(1, { dataFormat: 'channels_first' as 'channels_last' }), /argument 'dataFormat' must be 'channels_last'/);
  assert.throws(() => new ZeroPadding2D(1, { name: 'zp' }).apply(randomTensor([2, 3, 4], 1)), /Input 0 of layer "zp" is incompatible with the layer: expected ndim=4, found ndim=3/);
});
