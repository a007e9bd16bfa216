import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { assertClose } from '../../testing/assert_close.js';
import { runLayerTest } from '../../testing/layer_test.js';
import { Rescaling } from './rescaling.js';

test('Rescaling basics', () => {
  runLayerTest(Rescaling, { scale: 1 / 255 }, { inputShape: [2, 4, 4, 3], expectedOutputShape: [2, 4, 4, 3], expectedTrainableWeights: 0 });
  runLayerTest(Rescaling, { scale: [1, 2, 3], offset: -1 }, { inputShape: [2, 3], expectedOutputShape: [2, 3] });
});

test('Rescaling computes inputs * scale + offset in float32, integers included', () => {
  const y = new Rescaling(1 / 127.5, { offset: -1 }).apply(convertToTensor([0, 127.5, 255]));
  assertClose(y.values, [-1, 0, 1], { atol: 1e-6, rtol: 0 }, 'to [-1, 1]');
  const ints = new Rescaling(0.5).apply(convertToTensor([2, 3], [2], 'int32'));
  assert.equal(ints.dtype, 'float32');
  assert.deepEqual(ints.toArray(), [1, 1.5]);
  const config = new Rescaling(0.5).getConfig();
  assert.deepEqual([config.scale, config.offset], [0.5, 0]);
  assert.throws(() => new Rescaling(NaN), /Rescaling: argument 'scale' must be a finite number or a list of them, received NaN/);
});
