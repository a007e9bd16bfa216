/**
 * The architectures against Keras's: layer names, output shapes and parameter counts with and
 * without the top (the counts Keras's keras.io/api/applications table and `count_params()` give),
 * pooling, the input tensor, summary(), and Keras's argument errors before anything is built.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { Input } from '../layers/core/input_layer.js';
import { Dense } from '../layers/core/dense.js';
import type { Model } from '../models/model.js';
import { ResNet50, VGG16, VGG19 } from './index.js';

const names = (model: Model): string[] => model.layers.map((l) => l.name);

/** Every layer's name but the input's (its name depends on how many inputs the session made). */
const layerNames = (model: Model): string[] => names(model).slice(1);

const VGG16_CONVS = ['block1_conv1', 'block1_conv2', 'block1_pool', 'block2_conv1', 'block2_conv2', 'block2_pool',
  'block3_conv1', 'block3_conv2', 'block3_conv3', 'block3_pool', 'block4_conv1', 'block4_conv2', 'block4_conv3', 'block4_pool',
  'block5_conv1', 'block5_conv2', 'block5_conv3', 'block5_pool'];

test('VGG16 and VGG19 with the top: Keras\'s layer names, shapes and 138,357,544 / 143,667,240 parameters', async () => {
  const vgg16 = await VGG16({ weights: null });
  assert.equal(vgg16.name, 'vgg16');
  assert.deepEqual(layerNames(vgg16), [...VGG16_CONVS, 'flatten', 'fc1', 'fc2', 'predictions']);
  assert.deepEqual(vgg16.input.shape, [null, 224, 224, 3]);
  assert.deepEqual(vgg16.output.shape, [null, 1000]);
  assert.deepEqual(vgg16.getLayer('fc1').weights.map((w) => w.shape), [[25088, 4096], [4096]]);
  assert.equal(vgg16.countParams(), 138_357_544);
  const vgg19 = await VGG19({ weights: null });
  assert.equal(vgg19.name, 'vgg19');
  assert.equal(vgg19.layers.length, 26);
  assert.deepEqual(layerNames(vgg19).slice(8, 12), ['block3_conv3', 'block3_conv4', 'block3_pool', 'block4_conv1']);
  assert.deepEqual(layerNames(vgg19).slice(-4), ['flatten', 'fc1', 'fc2', 'predictions']);
  assert.equal(vgg19.countParams(), 143_667_240);
});

test('VGG16 and VGG19 without the top: 14,714,688 / 20,024,384 parameters, pooling avg and max', async () => {
  const vgg16 = await VGG16({ weights: null, includeTop: false });
  assert.deepEqual(layerNames(vgg16), VGG16_CONVS);
  assert.deepEqual(vgg16.output.shape, [null, null, null, 512]);
  assert.equal(vgg16.countParams(), 14_714_688);
  const vgg19 = await VGG19({ weights: null, includeTop: false, inputShape: [64, 48, 3] });
  assert.equal(vgg19.layers.length, 22);
  assert.equal(names(vgg19).at(-1), 'block5_pool');
  assert.deepEqual(vgg19.output.shape, [null, 2, 1, 512]);
  assert.equal(vgg19.countParams(), 20_024_384);
  const avg = await VGG16({ weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
  assert.equal(avg.layers.at(-1)!.className, 'GlobalAveragePooling2D');
  assert.deepEqual(avg.output.shape, [null, 512]);
  const max = await VGG19({ weights: null, includeTop: false, pooling: 'max' });
  assert.equal(max.layers.at(-1)!.className, 'GlobalMaxPooling2D');
  assert.deepEqual(max.output.shape, [null, 512]);
});

test('VGG16 with the top on a small input, other classes and no activation', async () => {
  const model = await VGG16({ weights: null, inputShape: [32, 32, 3], classes: 7, classifierActivation: null });
  assert.deepEqual(model.getLayer('fc1').weights.map((w) => w.shape), [[512, 4096], [4096]]);
  assert.deepEqual(model.getLayer('predictions').weights.map((w) => w.shape), [[4096, 7], [7]]);
  assert.equal((model.getLayer('predictions') as Dense).getConfig().activation, 'linear');
  assert.deepEqual(model.output.shape, [null, 7]);
});

test('ResNet50: Keras\'s 177 layers and 25,636,712 parameters with the top, 23,587,712 without', async () => {
  const top = await ResNet50({ weights: null });
  assert.equal(top.name, 'resnet50');
  assert.equal(top.layers.length, 177);
  assert.deepEqual(layerNames(top).slice(0, 6), ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']);
  assert.deepEqual(layerNames(top).slice(-5), ['conv5_block3_3_bn', 'conv5_block3_add', 'conv5_block3_out', 'avg_pool', 'predictions']);
  assert.ok(names(top).includes('conv4_block6_out') && !names(top).includes('conv4_block7_out'));
  assert.deepEqual(top.getLayer('conv1_pad').computeOutputShape([null, 224, 224, 3]), [null, 230, 230, 3]);
  assert.deepEqual(top.getLayer('conv5_block3_out').computeOutputShape([null, 7, 7, 2048]), [null, 7, 7, 2048]);
  assert.deepEqual(top.getLayer('conv2_block1_0_conv').weights.map((w) => w.shape), [[1, 1, 64, 256], [256]]);
  assert.deepEqual(top.getLayer('conv1_bn').weights.map((w) => w.name), ['gamma', 'beta', 'moving_mean', 'moving_variance']);
  assert.equal(top.countParams(), 25_636_712);
  assert.equal(top.nonTrainableWeights.reduce((n, w) => n + w.value.size, 0), 53_120);
  assert.deepEqual(top.output.shape, [null, 1000]);

  const bare = await ResNet50({ weights: null, includeTop: false, inputShape: [64, 64, 3] });
  assert.equal(bare.layers.length, 175);
  assert.equal(bare.countParams(), 23_587_712);
  assert.deepEqual(bare.output.shape, [null, 2, 2, 2048]);
  const max = await ResNet50({ weights: null, includeTop: false, pooling: 'max' });
  assert.deepEqual(names(max).at(-1), 'max_pool');
  assert.deepEqual(max.output.shape, [null, 2048]);
  const avg = await ResNet50({ weights: null, includeTop: false, pooling: 'avg', name: 'backbone' });
  assert.equal(avg.name, 'backbone');
  assert.deepEqual(names(avg).at(-1), 'avg_pool');
});

test('inputTensor: the model starts at the tensor\'s source input, keeping the layers in between', async () => {
  const image = Input({ shape: [32, 32, 3] });
  const projected = new Dense(3, { name: 'to_rgb' }).apply(image);
  const model = await VGG16({ weights: null, includeTop: false, inputTensor: projected });
  assert.equal(model.input, image);
  assert.deepEqual(names(model).slice(1, 3), ['to_rgb', 'block1_conv1']);
  assert.deepEqual(model.output.shape, [null, 1, 1, 512]);
});

test('summary() of VGG16 without the top on 32x32 images', async () => {
  const model = await VGG16({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  const lines: string[] = [];
  model.summary({ printFn: (line) => lines.push(line) });
  const text = lines.join('\n');
  assert.match(text, /^Model: "vgg16"/);
  assert.match(text, /│ block1_conv1 \(Conv2D\) +│ \(None, 32, 32, 64\) +│ +1,792 │/);
  assert.match(text, /│ block4_conv1 \(Conv2D\) +│ \(None, 4, 4, 512\) +│ +1,180,160 │/);
  assert.match(text, /│ block5_pool \(MaxPooling2D\) +│ \(None, 1, 1, 512\) +│ +0 │/);
  assert.match(text, / Total params: 14,714,688 \(56\.13 MB\)/);
  assert.match(text, / Non-trainable params: 0 \(0\.00 B\)/);
});

test('Keras\'s argument errors, in Keras\'s words, before anything is built', async () => {
  await assert.rejects(VGG16({ weights: 'nowhere/weights.h5' }), new RegExp('^Error: The `weights` argument should be either `None` ' +
    '\\(random initialization\\), \'imagenet\' \\(pre-training on ImageNet\\), or the path to the weights file to be loaded\\.  ' +
    'Received: weights=nowhere/weights\\.h5$'));
  await assert.rejects(VGG19({ classes: 10 }),
    /^Error: If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000\.  Received classes=10$/);
  await assert.rejects(ResNet50({ inputShape: [160, 160, 3] }), new RegExp('^Error: When setting `include_top=True` and loading ' +
    '`imagenet` weights, `input_shape` should be \\(224, 224, 3\\)\\.  Received: input_shape=\\(160, 160, 3\\)$'));
  await assert.rejects(VGG16({ includeTop: false, inputShape: [16, 64, 3] }),
    /^Error: Input size must be at least 32x32; Received: input_shape=\(16, 64, 3\)$/);
  await assert.rejects(VGG16({ includeTop: false, inputShape: [64, 64, 1] }),
    /^Error: The input must have 3 channels; Received `input_shape=\(64, 64, 1\)`$/);
  await assert.rejects(ResNet50({ weights: null, inputShape: [64, 64] }), /^Error: `input_shape` must be a tuple of three integers\.$/);
  await assert.rejects(VGG16({ weights: null, inputShape: [null, null, 3] }),
    /^Error: If `include_top` is True, you should specify a static `input_shape`\. Received: input_shape=\(None, None, 3\)$/);
  await assert.rejects(VGG16({ classifierActivation: 'relu' }), new RegExp('^Error: Only `None` and `softmax` activations are allowed ' +
    'for the `classifier_activation` argument when using pretrained weights, with `include_top=True`; Received: classifier_activation=relu$'));
  await assert.rejects(ResNet50({ weights: null, includeTop: false, pooling: 'mean' as 'avg' }),
    /^Error: The `pooling` argument should be one of None, 'avg' or 'max'\. Received: pooling=mean$/);
});
