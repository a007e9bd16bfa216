/** The ResNet50 model (keras.applications.resnet50). Mirrors the ResNet v1 part of keras/src/applications/resnet.py. */
import type { KerasTensor } from '../backend/keras_tensor.js';
import { Activation } from '../layers/activations/activation.js';
import { Conv2D } from '../layers/convolutional/conv2d.js';
import { Dense } from '../layers/core/dense.js';
import { Add } from '../layers/merging/add.js';
import { BatchNormalization } from '../layers/normalization/batch_normalization.js';
import { GlobalAveragePooling2D } from '../layers/pooling/global_average_pooling2d.js';
import { GlobalMaxPooling2D } from '../layers/pooling/global_max_pooling2d.js';
import { MaxPooling2D } from '../layers/pooling/max_pooling2d.js';
import { ZeroPadding2D } from '../layers/reshaping/zero_padding2d.js';
import type { Model } from '../models/model.js';
import { buildApplication, fixedSpec, type ApplicationOptions, type TopOptions } from './application.js';

/** keras.applications.resnet50.preprocess_input ('caffe' mode) and decode_predictions. */
export { caffePreprocessInput as preprocessInput, decodePredictions } from './imagenet_utils.js';

/**
 * Instantiates the ResNet50 architecture (Deep Residual Learning for Image Recognition, CVPR
 * 2015). The default input size is 224x224.
 *
 * Each Keras application expects its own input preprocessing: for ResNet50, call
 * `keras.applications.resnet50.preprocessInput` on the images first (RGB to BGR, then each color
 * channel zero-centered with respect to ImageNet, without scaling).
 *
 * Args:
 *   options: `includeTop` (the average pooling and the 1000-way classifier; default true),
 *     `weights` (null, 'imagenet' (the default) or a weights file's path), `inputTensor`,
 *     `inputShape`, `pooling` (null, 'avg' or 'max', without the top), `classes` (default 1000),
 *     `classifierActivation` (default 'softmax'), `name` (default 'resnet50').
 *
 * Returns:
 *   A promise of the functional `Model`.
 *
 * Example:
 *   const base = await keras.applications.ResNet50({includeTop: false, pooling: 'avg', inputShape: [160, 160, 3]});
 *   base.trainable = false;   // BatchNormalization then runs in inference mode, even in fit
 */
export function ResNet50(options: ApplicationOptions = {}): Promise<Model> {
  const spec = fixedSpec('resnet50', 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/',
    ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626']);
  return buildApplication(spec, options, (input, top) => {
    let x = stem(input);
    x = stack(x, 64, 3, 1, 'conv2');
    x = stack(x, 128, 4, 2, 'conv3');
    x = stack(x, 256, 6, 2, 'conv4');
    return head(stack(x, 512, 3, 2, 'conv5'), top);
  });
}

// Keras: resnet.py uses BatchNormalization(epsilon=1.001e-5) on the channels axis throughout.
const batchNorm = (name: string): BatchNormalization => new BatchNormalization({ axis: 3, epsilon: 1.001e-5, name });

/** The 7x7 stride-2 convolution and the 3x3 stride-2 max pooling, each after explicit zero padding. */
function stem(input: KerasTensor): KerasTensor {
  let x = new ZeroPadding2D([[3, 3], [3, 3]], { name: 'conv1_pad' }).apply(input);
  x = new Conv2D(64, 7, { strides: 2, useBias: true, name: 'conv1_conv' }).apply(x);
  x = batchNorm('conv1_bn').apply(x);
  x = new Activation('relu', { name: 'conv1_relu' }).apply(x);
  x = new ZeroPadding2D([[1, 1], [1, 1]], { name: 'pool1_pad' }).apply(x);
  return new MaxPooling2D(3, { strides: 2, name: 'pool1_pool' }).apply(x);
}

/** `blocks` residual blocks (Keras's stack_residual_blocks_v1); the first strides and projects the shortcut. */
function stack(x: KerasTensor, filters: number, blocks: number, firstStride: number, name: string): KerasTensor {
  let y = residualBlock(x, filters, firstStride, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) y = residualBlock(y, filters, 1, false, `${name}_block${i}`);
  return y;
}

/** A bottleneck block 1x1 -> 3x3 -> 1x1 (x4 filters) plus the shortcut (Keras's residual_block_v1). */
function residualBlock(x: KerasTensor, filters: number, stride: number, convShortcut: boolean, name: string): KerasTensor {
  const shortcut = convShortcut
    ? batchNorm(`${name}_0_bn`).apply(new Conv2D(4 * filters, 1, { strides: stride, name: `${name}_0_conv` }).apply(x))
    : x;
  let y = new Conv2D(filters, 1, { strides: stride, name: `${name}_1_conv` }).apply(x);
  y = batchNorm(`${name}_1_bn`).apply(y);
  y = new Activation('relu', { name: `${name}_1_relu` }).apply(y);
  y = new Conv2D(filters, 3, { padding: 'same', name: `${name}_2_conv` }).apply(y);
  y = batchNorm(`${name}_2_bn`).apply(y);
  y = new Activation('relu', { name: `${name}_2_relu` }).apply(y);
  y = new Conv2D(4 * filters, 1, { name: `${name}_3_conv` }).apply(y);
  y = batchNorm(`${name}_3_bn`).apply(y);
  y = new Add({ name: `${name}_add` }).apply([shortcut, y]);
  return new Activation('relu', { name: `${name}_out` }).apply(y);
}

/** The classifier (`avg_pool`, `predictions`), or the optional pooling (`avg_pool` or `max_pool`). */
function head(x: KerasTensor, top: TopOptions): KerasTensor {
  if (top.includeTop) {
    const pooled = new GlobalAveragePooling2D({ name: 'avg_pool' }).apply(x);
    return new Dense(top.classes, { activation: top.classifierActivation, name: 'predictions' }).apply(pooled);
  }
  if (top.pooling === 'avg') return new GlobalAveragePooling2D({ name: 'avg_pool' }).apply(x);
  if (top.pooling === 'max') return new GlobalMaxPooling2D({ name: 'max_pool' }).apply(x);
  return x;
}
