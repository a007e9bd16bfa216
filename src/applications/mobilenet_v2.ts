/** The MobileNetV2 model (keras.applications.mobilenet_v2). Mirrors keras/src/applications/mobilenet_v2.py. */
import type { KerasTensor } from '../backend/keras_tensor.js';
import type { Tensor } from '../backend/tensor.js';
import { ReLU } from '../layers/activations/relu.js';
import { Conv2D } from '../layers/convolutional/conv2d.js';
import { DepthwiseConv2D } from '../layers/convolutional/depthwise_conv2d.js';
import { Dense } from '../layers/core/dense.js';
import { Add } from '../layers/merging/add.js';
import { BatchNormalization } from '../layers/normalization/batch_normalization.js';
import { GlobalAveragePooling2D } from '../layers/pooling/global_average_pooling2d.js';
import { GlobalMaxPooling2D } from '../layers/pooling/global_max_pooling2d.js';
import { ZeroPadding2D } from '../layers/reshaping/zero_padding2d.js';
import type { Model } from '../models/model.js';
import type { TensorLike } from '../ops/core.js';
import { buildApplication, type ApplicationOptions, type ApplicationSpec } from './application.js';
import { correctPad, preprocessInput as imagenetPreprocessInput, type PreprocessOptions } from './imagenet_utils.js';

export { decodePredictions } from './imagenet_utils.js';

const BASE_WEIGHT_PATH = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/';
/** The square input sizes Keras publishes weights for, and the widths. */
const WEIGHT_SIZES = [96, 128, 160, 192, 224];
const WEIGHT_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

/** The inverted residual blocks: output filters (before alpha), stride, expansion. */
const BLOCKS: readonly (readonly [number, number, number])[] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6],
  [64, 1, 6], [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

export interface MobileNetV2Options extends ApplicationOptions {
  /**
   * The width multiplier: below 1 it shrinks the number of filters in each layer, above 1 it
   * grows it. Keras: alpha=1.0; ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4.
   */
  alpha?: number;
}

/**
 * Instantiates the MobileNetV2 architecture (MobileNetV2: Inverted Residuals and Linear
 * Bottlenecks, CVPR 2018). Inputs of any size from 32x32 work; the default is 224x224, or the
 * input shape's size when it is square and one of 96, 128, 160, 192 and 224.
 *
 * Each Keras application expects its own input preprocessing: for MobileNetV2, call
 * `keras.applications.mobilenetV2.preprocessInput` on the images first (pixels scaled to [-1, 1]).
 *
 * Args:
 *   options: `alpha` (the width multiplier, default 1.0), `includeTop` (the average pooling and
 *     the 1000-way classifier; default true), `weights` (null, 'imagenet' (the default) or a
 *     weights file's path), `inputTensor`, `inputShape`, `pooling` (null, 'avg' or 'max', without
 *     the top), `classes` (default 1000), `classifierActivation` (default 'softmax'), `name`
 *     (default `mobilenetv2_${alpha with 2 decimals}_${rows}`, e.g. 'mobilenetv2_1.00_224').
 *
 * Returns:
 *   A promise of the functional `Model`.
 *
 * Example:
 *   const base = await keras.applications.MobileNetV2({includeTop: false, pooling: 'avg', inputShape: [160, 160, 3]});
 *   base.trainable = false;   // BatchNormalization then runs in inference mode, even in fit
 */
export function MobileNetV2(options: MobileNetV2Options = {}): Promise<Model> {
  const alpha = options.alpha ?? 1.0;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  const given = options.inputShape ?? options.inputTensor?.shape.slice(1) ?? null;
  const spec: ApplicationSpec = {
    defaultSize: given && given[0] === given[1] && WEIGHT_SIZES.includes(given[0]!) ? given[0]! : 224,
    forShape([rows, cols]) {
      let size = rows;
      if (weights === 'imagenet') {
        if (!WEIGHT_ALPHAS.includes(alpha)) {
          throw new Error('If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, `0.75`, `1.0`, `1.3` or ' +
            `\`1.4\` only; Received \`alpha=${alpha}\``);
        }
        if (rows !== cols || !WEIGHT_SIZES.includes(rows!)) {
          size = 224;
          console.warn('`input_shape` is undefined or non-square, or `rows` is not in [96, 128, 160, 192, 224]. ' +
            'Weights for input shape (224, 224) will be loaded as the default.');
        }
      }
      // Python's str(float(alpha)) in the file names: 1.0, 0.35, 0.5.
      const alphaText = Number.isInteger(alpha) ? alpha.toFixed(1) : String(alpha);
      return {
        name: `mobilenetv2_${alpha.toFixed(2)}_${size ?? 'None'}`,
        weightsFile(includeTop) {
          const fileName = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alphaText}_${size}${includeTop ? '' : '_no_top'}.h5`;
          // Keras downloads these files without a hash to check.
          return { fileName, url: BASE_WEIGHT_PATH + fileName, hash: null };
        },
      };
    },
  };
  return buildApplication(spec, options, (input, top) => {
    let x = new Conv2D(makeDivisible(32 * alpha, 8), 3, { strides: 2, padding: 'same', useBias: false, name: 'Conv1' }).apply(input);
    x = batchNorm('bn_Conv1').apply(x);
    x = relu6('Conv1_relu').apply(x);
    BLOCKS.forEach(([filters, stride, expansion], blockId) => {
      x = invertedResBlock(x, expansion, stride, alpha, filters, blockId);
    });
    // Keras: the last convolution widens with alpha above 1 only.
    const lastBlockFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
    x = new Conv2D(lastBlockFilters, 1, { useBias: false, name: 'Conv_1' }).apply(x);
    x = batchNorm('Conv_1_bn').apply(x);
    x = relu6('out_relu').apply(x);
    if (top.includeTop) {
      const pooled = new GlobalAveragePooling2D().apply(x);
      return new Dense(top.classes, { activation: top.classifierActivation, name: 'predictions' }).apply(pooled);
    }
    if (top.pooling === 'avg') return new GlobalAveragePooling2D().apply(x);
    if (top.pooling === 'max') return new GlobalMaxPooling2D().apply(x);
    return x;
  });
}

/**
 * Preprocesses images for MobileNetV2 (keras.applications.mobilenet_v2.preprocess_input): 'tf'
 * mode, pixels from [0, 255] scaled to [-1, 1].
 *
 * Example: `model.predict(keras.applications.mobilenetV2.preprocessInput(images))`
 */
export function preprocessInput(x: TensorLike, options: Omit<PreprocessOptions, 'mode'> = {}): Tensor {
  return imagenetPreprocessInput(x, { ...options, mode: 'tf' });
}

// Keras: mobilenet_v2.py uses BatchNormalization(epsilon=1e-3, momentum=0.999) on the channels axis.
const batchNorm = (name: string): BatchNormalization => new BatchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });
const relu6 = (name: string): ReLU => new ReLU({ maxValue: 6, name });

/**
 * Keras's _make_divisible: `v` rounded to the nearest multiple of `divisor` (at least `divisor`),
 * one multiple up when rounding lost more than 10%.
 */
function makeDivisible(v: number, divisor: number): number {
  let newV = Math.max(divisor, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

/**
 * An inverted residual block (Keras's _inverted_res_block): 1x1 expansion (not in block 0),
 * 3x3 depthwise convolution, linear 1x1 projection, and the input added back when the shapes
 * allow it.
 */
function invertedResBlock(inputs: KerasTensor, expansion: number, stride: number, alpha: number, filters: number,
  blockId: number): KerasTensor {
  const inChannels = inputs.shape.at(-1)!;
  const pointwiseFilters = makeDivisible(Math.trunc(filters * alpha), 8);
  let x = inputs;
  let prefix = `block_${blockId}_`;
  if (blockId) {
    x = new Conv2D(expansion * inChannels, 1, { padding: 'same', useBias: false, name: `${prefix}expand` }).apply(x);
    x = batchNorm(`${prefix}expand_BN`).apply(x);
    x = relu6(`${prefix}expand_relu`).apply(x);
  } else {
    prefix = 'expanded_conv_';
  }
  if (stride === 2) x = new ZeroPadding2D(correctPad(x.shape, 3), { name: `${prefix}pad` }).apply(x);
  x = new DepthwiseConv2D(3, {
    strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise`,
  }).apply(x);
  x = batchNorm(`${prefix}depthwise_BN`).apply(x);
  x = relu6(`${prefix}depthwise_relu`).apply(x);
  x = new Conv2D(pointwiseFilters, 1, { padding: 'same', useBias: false, name: `${prefix}project` }).apply(x);
  x = batchNorm(`${prefix}project_BN`).apply(x);
  if (inChannels === pointwiseFilters && stride === 1) return new Add({ name: `${prefix}add` }).apply([inputs, x]);
  return x;
}
