/**
 * 2D depthwise convolution layer. Mirrors keras/src/layers/convolutional/depthwise_conv2d.py and
 * base_depthwise_conv.py.
 */
import type { Tensor } from '../../backend/tensor.js';
import type { Variable } from '../../backend/variable.js';
import type * as initializers from '../../initializers/index.js';
import { intTuple } from '../../ops/checks.js';
import { depthwiseConv } from '../../ops/depthwise_conv.js';
import { add } from '../../ops/numpy.js';
import type { Padding } from '../../ops/operation_utils.js';
import type * as regularizers from '../../regularizers/index.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import {
  assertUnset, channelsLast, KernelBias, layerOptionsFromConfig, standardizePadding, type KernelBiasOptions,
} from '../layer_options.js';
import { convOutputShape, definedChannels, type BaseConvOptions } from './base_conv.js';

export interface DepthwiseConv2DOptions extends LayerOptions,
  Pick<BaseConvOptions, 'strides' | 'padding' | 'dataFormat' | 'dilationRate' | 'activityRegularizer'>,
  Omit<KernelBiasOptions, 'kernelInitializer' | 'kernelRegularizer' | 'kernelConstraint'> {
  /** Keras: depth_multiplier=1, the filters per input channel. */
  depthMultiplier?: number;
  /** Keras: depthwise_initializer="glorot_uniform". */
  depthwiseInitializer?: initializers.InitializerIdentifier;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier | null;
  depthwiseConstraint?: null;
}

/**
 * 2D depthwise convolution layer: each input channel is convolved with its own
 * `depthMultiplier` filters, and the results are stacked; `activation(depthwise(inputs) + bias)`.
 *
 * Args:
 *   kernelSize: the window's height and width (one number for a square window).
 *   options: `strides`, `padding` ('valid' or 'same'), `depthMultiplier`, `dilationRate`,
 *     `activation`, `useBias`, `depthwiseInitializer`, `biasInitializer`, `depthwiseRegularizer`,
 *     `biasRegularizer`, and the layer options (`name`, `inputShape`, ...).
 *
 * Input shape: `(batch, height, width, channels)`.
 * Output shape: `(batch, newHeight, newWidth, channels * depthMultiplier)`.
 * Weights: `kernel` `(kernelH, kernelW, channels, depthMultiplier)`, then `bias`
 * `(channels * depthMultiplier,)`.
 *
 * Example:
 *   const dw = new keras.layers.DepthwiseConv2D(3, {padding: 'same', useBias: false});
 *   dw.apply(keras.ops.zeros([4, 28, 28, 32])).shape;   // [4, 28, 28, 32]
 */
export class DepthwiseConv2D extends Layer {
  static override readonly className = 'DepthwiseConv2D';
  readonly rank = 2;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: 'channels_last';
  readonly dilationRate: number[];
  /** The activation, bias flag, initializers and regularizers (the depthwise ones as the kernel's). */
  readonly kernelBias: KernelBias;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(kernelSize: number | readonly number[], options: DepthwiseConv2DOptions = {}) {
    super(options);
    const cls = this.className;
    this.depthMultiplier = options.depthMultiplier ?? 1;
    if (!(Number.isInteger(this.depthMultiplier) && this.depthMultiplier > 0)) {
      throw new Error(`${cls}: Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. ` +
        `Received depth_multiplier=${String(this.depthMultiplier)}.`);
    }
    this.kernelSize = intTuple(cls, 'kernelSize', kernelSize, this.rank);
    this.strides = intTuple(cls, 'strides', options.strides ?? 1, this.rank);
    this.padding = standardizePadding(cls, options.padding ?? 'valid');
    this.dataFormat = channelsLast(cls, options.dataFormat);
    this.dilationRate = intTuple(cls, 'dilationRate', options.dilationRate ?? 1, this.rank);
    assertUnset(cls, 'depthwiseConstraint', options.depthwiseConstraint);
    assertUnset(cls, 'activityRegularizer', options.activityRegularizer);
    this.kernelBias = new KernelBias(cls, {
      ...options, kernelInitializer: options.depthwiseInitializer, kernelRegularizer: options.depthwiseRegularizer,
    });
    this.inputSpec = [{ minNdim: this.rank + 2 }];
  }

  override build(inputShape: LayerShape): void {
    const inChannels = definedChannels(this, inputShape);
    this.computeOutputShape(inputShape); // Keras validates the spatial sizes here, before creating weights
    [this.kernel, this.bias] = this.kernelBias.addWeights(
      this, [...this.kernelSize, inChannels, this.depthMultiplier], inChannels * this.depthMultiplier);
    this.inputSpec = [{ minNdim: this.rank + 2, axes: { [-1]: inChannels } }];
    super.build(inputShape);
  }

  call(inputs: Tensor): Tensor {
    const y = depthwiseConv(inputs, this.kernel!.value, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    return this.kernelBias.activation(this.bias ? add(y, this.bias.value) : y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const channels = inputShape[inputShape.length - 1];
    return convOutputShape(this, inputShape, channels === null ? null : channels * this.depthMultiplier);
  }

  override getConfig(): Config {
    const kernelBias = this.kernelBias.getConfig();
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      activation: kernelBias.activation,
      use_bias: kernelBias.use_bias,
      depthwise_initializer: kernelBias.kernel_initializer,
      bias_initializer: kernelBias.bias_initializer,
      depthwise_regularizer: kernelBias.kernel_regularizer,
      bias_regularizer: kernelBias.bias_regularizer,
      activity_regularizer: null,
      depthwise_constraint: null,
      bias_constraint: null,
    };
  }

  static fromConfig(config: Config): DepthwiseConv2D {
    const { kernelSize, ...options } = layerOptionsFromConfig(config);
    return new DepthwiseConv2D(kernelSize as number[], options as DepthwiseConv2DOptions);
  }
}
