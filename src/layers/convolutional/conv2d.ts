/** 2D convolution layer. Mirrors keras/src/layers/convolutional/conv2d.py. */
import type { Config } from '../../saving/serialization_lib.js';
import { layerOptionsFromConfig } from '../layer_options.js';
import { BaseConv, type BaseConvOptions } from './base_conv.js';

/**
 * 2D convolution layer: a kernel of `filters` output channels slides over the height and width
 * of NHWC inputs; `activation(conv2d(inputs, kernel) + bias)`.
 *
 * Args:
 *   filters: the number of output channels.
 *   kernelSize: the window's height and width (one number for a square window).
 *   options: `strides`, `padding` ('valid' or 'same'), `dilationRate`, `activation`, `useBias`,
 *     `kernelInitializer`, `biasInitializer`, `kernelRegularizer`, `biasRegularizer`, and the
 *     layer options (`name`, `inputShape`, ...).
 *
 * Input shape: `(batch, height, width, channels)`.
 * Output shape: `(batch, newHeight, newWidth, filters)`.
 * Weights: `kernel` `(kernelH, kernelW, channels, filters)`, then `bias` `(filters,)`.
 *
 * Example:
 *   const conv = new keras.layers.Conv2D(32, 3, {activation: 'relu', inputShape: [28, 28, 1]});
 *   conv.apply(keras.ops.zeros([4, 28, 28, 1])).shape;   // [4, 26, 26, 32]
 */
export class Conv2D extends BaseConv {
  static override readonly className = 'Conv2D';

  constructor(filters: number, kernelSize: number | readonly number[], options: BaseConvOptions = {}) {
    super(2, filters, kernelSize, options);
  }

  static fromConfig(config: Config): Conv2D {
    const { filters, kernelSize, ...options } = layerOptionsFromConfig(config);
    return new Conv2D(filters as number, kernelSize as number[], options as BaseConvOptions);
  }
}
