/**
 * The architecture VGG16 and VGG19 share (keras/src/applications/vgg16.py, vgg19.py): five
 * blocks of 3x3 convolutions, each ending in a 2x2 max pooling, then either three dense layers or
 * an optional global pooling. Only the number of convolutions per block differs.
 */
import type { KerasTensor } from '../backend/keras_tensor.js';
import { Conv2D } from '../layers/convolutional/conv2d.js';
import { Dense } from '../layers/core/dense.js';
import { GlobalAveragePooling2D } from '../layers/pooling/global_average_pooling2d.js';
import { GlobalMaxPooling2D } from '../layers/pooling/global_max_pooling2d.js';
import { MaxPooling2D } from '../layers/pooling/max_pooling2d.js';
import { Flatten } from '../layers/reshaping/flatten.js';
import type { TopOptions } from './application.js';

const BLOCK_FILTERS = [64, 128, 256, 512, 512];

/** Where Keras publishes the VGG weights: `<folder>/vgg16/` and `<folder>/vgg19/`. */
export const VGG_WEIGHTS_FOLDER = 'https://storage.googleapis.com/tensorflow/keras-applications/';

/**
 * Stacks the VGG layers on `input`, with Keras's layer names (`block1_conv1` ... `block5_pool`,
 * then `flatten`, `fc1`, `fc2`, `predictions`).
 *
 * Args:
 *   input: the image input.
 *   convsPerBlock: how many convolutions each of the five blocks has ([2, 2, 3, 3, 3] for VGG16).
 *   top: whether to add the classifier, with how many classes and which activation, or which pooling.
 */
export function vggLayers(input: KerasTensor, convsPerBlock: readonly number[], top: TopOptions): KerasTensor {
  let x = input;
  BLOCK_FILTERS.forEach((filters, b) => {
    for (let c = 1; c <= convsPerBlock[b]; c++) {
      x = new Conv2D(filters, [3, 3], { activation: 'relu', padding: 'same', name: `block${b + 1}_conv${c}` }).apply(x);
    }
    x = new MaxPooling2D([2, 2], { strides: [2, 2], name: `block${b + 1}_pool` }).apply(x);
  });
  if (top.includeTop) {
    x = new Flatten({ name: 'flatten' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc1' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc2' }).apply(x);
    return new Dense(top.classes, { activation: top.classifierActivation, name: 'predictions' }).apply(x);
  }
  if (top.pooling === 'avg') return new GlobalAveragePooling2D().apply(x);
  if (top.pooling === 'max') return new GlobalMaxPooling2D().apply(x);
  return x;
}
