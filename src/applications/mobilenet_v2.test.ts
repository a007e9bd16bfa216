/**
 * MobileNetV2 against Keras's: layer names and order, shapes and parameter counts with and without
 * the top and for other widths, the model name and weight files Keras derives from alpha and the
 * input size, Keras's argument errors, a legacy `.h5` round trip, and 'tf' preprocessing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { convertToTensor } from '../ops/core.js';
import { setRandomSeed } from '../random/seed_generator.js';
import { randomTensor } from '../testing/layer_test.js';
import { MobileNetV2, mobilenetV2 } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-mobilenet-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Every layer's name but the input's (its name depends on how many inputs the session made). */
const layerNames = (model: { layers: readonly { name: string }[] }): string[] => model.layers.slice(1).map((l) => l.name);

test('MobileNetV2 with the top: Keras\'s 156 layers and 3,538,984 parameters, without it 2,257,984', async () => {
  const top = await MobileNetV2({ weights: null });
  assert.equal(top.name, 'mobilenetv2_1.00_224');
  assert.equal(top.layers.length, 156);
  assert.deepEqual(layerNames(top).slice(0, 12), ['Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise',
    'expanded_conv_depthwise_BN', 'expanded_conv_depthwise_relu', 'expanded_conv_project', 'expanded_conv_project_BN',
    'block_1_expand', 'block_1_expand_BN', 'block_1_expand_relu', 'block_1_pad']);
  assert.deepEqual(layerNames(top).slice(-6, -2), ['block_16_project_BN', 'Conv_1', 'Conv_1_bn', 'out_relu']);
  // The pooling keeps Keras's automatic name (global_average_pooling2d, numbered within the session).
  assert.deepEqual(top.layers.slice(-2).map((l) => l.className), ['GlobalAveragePooling2D', 'Dense']);
  assert.equal(layerNames(top).at(-1), 'predictions');
  // Residual adds where the block keeps its shape: 2, 4, 5, 7, 8, 9, 11, 12, 14, 15.
  assert.deepEqual(layerNames(top).filter((n) => n.endsWith('_add')),
    [2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((i) => `block_${i}_add`));
  assert.deepEqual(top.getLayer('block_1_depthwise').weights.map((w) => w.shape), [[3, 3, 96, 1]]);
  assert.deepEqual(top.getLayer('block_1_pad').computeOutputShape([null, 112, 112, 96]), [null, 113, 113, 96]);
  assert.deepEqual(top.getLayer('block_16_project').weights.map((w) => w.shape), [[1, 1, 960, 320]]);
  assert.equal(top.countParams(), 3_538_984);
  assert.deepEqual(top.output.shape, [null, 1000]);

  const bare = await MobileNetV2({ weights: null, includeTop: false });
  assert.equal(bare.name, 'mobilenetv2_1.00_None');
  assert.equal(bare.layers.length, 154);
  assert.equal(bare.countParams(), 2_257_984);
  assert.deepEqual(bare.output.shape, [null, null, null, 1280]);
});

test('MobileNetV2 widths, input sizes and pooling', async () => {
  // alpha 0.35: 16 first filters; the last convolution stays 1280 wide below alpha 1.
  const narrow = await MobileNetV2({ weights: null, alpha: 0.35, includeTop: false, inputShape: [96, 96, 3], pooling: 'avg' });
  assert.equal(narrow.name, 'mobilenetv2_0.35_96');
  assert.deepEqual(narrow.getLayer('Conv1').weights.map((w) => w.shape), [[3, 3, 3, 16]]);
  assert.deepEqual(narrow.output.shape, [null, 1280]);
  // alpha 1.4: the last convolution widens to 1792.
  const wide = await MobileNetV2({ weights: null, alpha: 1.4, includeTop: false, inputShape: [64, 80, 3], pooling: 'max' });
  assert.deepEqual(wide.getLayer('Conv_1').weights.map((w) => w.shape), [[1, 1, 448, 1792]]);
  assert.deepEqual(wide.output.shape, [null, 1792]);
  assert.equal(wide.layers.at(-1)!.className, 'GlobalMaxPooling2D');
  // An odd size: correct_pad pads 1 on each side before the stride-2 depthwise convolutions.
  const odd = await MobileNetV2({ weights: null, includeTop: false, inputShape: [33, 35, 3] });
  assert.deepEqual(odd.getLayer('block_1_pad').computeOutputShape([null, 17, 18, 96]), [null, 19, 19, 96]);
  assert.deepEqual(odd.output.shape, [null, 2, 2, 1280]);
  const y = await odd.predict(randomTensor([2, 33, 35, 3], 5), { verbose: 0 });
  assert.ok(y.values.every(Number.isFinite));
  // With the top at 160x160, the default size follows the input.
  const top160 = await MobileNetV2({ weights: null, inputShape: [160, 160, 3], classes: 5 });
  assert.equal(top160.name, 'mobilenetv2_1.00_160');
  assert.deepEqual(top160.output.shape, [null, 5]);
});

test('MobileNetV2 weights: Keras\'s file names for alpha and size, and Keras\'s argument errors', async (t) => {
  const requested: string[] = [];
  t.mock.method(globalThis, 'fetch', async (url: string) => {
    requested.push(url);
    throw new TypeError('fetch failed');
  });
  t.mock.method(console, 'warn', () => undefined);
  const previous = process.env.KERAS_HOME;
  process.env.KERAS_HOME = mkdtempSync(join(work, 'keras-home-'));
  t.after(() => (previous === undefined ? delete process.env.KERAS_HOME : (process.env.KERAS_HOME = previous)));
  await assert.rejects(MobileNetV2(), /Put Keras's file mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5 \(from https:\/\/storage\.googleapis\.com\/tensorflow\/keras-applications\/mobilenet_v2\/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1\.0_224\.h5\) at /);
  await assert.rejects(MobileNetV2({ alpha: 0.5, includeTop: false, inputShape: [128, 128, 3] }), /kernels_0\.5_128_no_top\.h5/);
  // A size Keras publishes no weights for loads the 224 ones (with Keras's warning).
  await assert.rejects(MobileNetV2({ alpha: 0.35, includeTop: false, inputShape: [100, 100, 3] }), /kernels_0\.35_224_no_top\.h5/);
  assert.deepEqual(requested.map((u) => u.split('/').at(-1)), ['mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5',
    'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_128_no_top.h5', 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5']);
  await assert.rejects(MobileNetV2({ alpha: 0.6 }), new RegExp('^Error: If imagenet weights are being loaded, alpha must be one of ' +
    '`0\\.35`, `0\\.50`, `0\\.75`, `1\\.0`, `1\\.3` or `1\\.4` only; Received `alpha=0\\.6`$'));
  await assert.rejects(MobileNetV2({ classes: 10 }), /`classes` should be 1000/);
  await assert.rejects(MobileNetV2({ inputShape: [100, 100, 3] }), /`input_shape` should be \(224, 224, 3\)/);
  await assert.rejects(MobileNetV2({ weights: null, includeTop: false, inputShape: [16, 64, 3] }), /Input size must be at least 32x32/);
  assert.equal(requested.length, 3, 'no argument error reaches the download');
});

test('MobileNetV2 weights (depthwise kernels, BatchNormalization statistics) round-trip through legacy .h5', async () => {
  setRandomSeed(2);
  const saved = await MobileNetV2({ weights: null, includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
  const bn = saved.getLayer('block_3_depthwise_BN');
  bn.setWeights(bn.getWeights().map((w, i) => randomTensor(w.shape, 20 + i, 0.5, 1.5)));
  const file = join(work, 'mobilenet_v2_notop.h5');
  await saved.save(file);
  const loaded = await MobileNetV2({ weights: file, includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
  const x = mobilenetV2.preprocessInput(randomTensor([2, 32, 32, 3], 6, 0, 255));
  assert.deepEqual((await loaded.predict(x, { verbose: 0 })).values, (await saved.predict(x, { verbose: 0 })).values);
});

test('mobilenetV2.preprocessInput scales pixels to [-1, 1] (\'tf\' mode)', () => {
  assert.deepEqual([...mobilenetV2.preprocessInput(convertToTensor([0, 127.5, 255])).values], [-1, 0, 1]);
  assert.equal(typeof mobilenetV2.decodePredictions, 'function');
});
