/**
 * The shared part of convolution layers. Mirrors keras/src/layers/convolutional/base_conv.py.
 */
import * as activations from '../../activations/index.js';
import type { Tensor } from '../../backend/tensor.js';
import type { Variable } from '../../backend/variable.js';
import { assertPositiveInt, intTuple } from '../../ops/checks.js';
import { convBiasActivation, type ConvOptions } from '../../ops/nn.js';
import { window1D, type Padding } from '../../ops/operation_utils.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { assertUnset, channelsLast, KernelBias, standardizePadding, type KernelBiasOptions } from '../layer_options.js';

export interface BaseConvOptions extends LayerOptions, KernelBiasOptions {
  /** Keras: strides=1. */
  strides?: number | readonly number[];
  /** 'valid' (no padding, the default) or 'same' (output size ceil(input / stride)). */
  padding?: Padding;
  /** Only 'channels_last' (NHWC), Keras's default image data format. */
  dataFormat?: 'channels_last' | null;
  /** Keras: dilation_rate=1; cannot exceed 1 together with strides > 1. */
  dilationRate?: number | readonly number[];
  /** Keras: groups=1 (grouped convolution is not implemented). */
  groups?: number;
  activityRegularizer?: null;
}

/**
 * Abstract N-D convolution: a kernel cross-correlated with the input, plus an optional bias and
 * activation. Subclasses fix the rank (Conv2D: 2).
 */
export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: 'channels_last';
  readonly dilationRate: number[];
  readonly groups: number;
  /** The activation, bias flag, initializers and regularizers. */
  readonly kernelBias: KernelBias;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(rank: number, filters: number, kernelSize: number | readonly number[], options: BaseConvOptions = {}) {
    super(options);
    const cls = this.className;
    this.rank = rank;
    this.filters = assertPositiveInt(cls, 'filters', filters);
    this.kernelSize = intTuple(cls, 'kernelSize', kernelSize, rank);
    this.strides = intTuple(cls, 'strides', options.strides ?? 1, rank);
    this.padding = standardizePadding(cls, options.padding ?? 'valid');
    this.dataFormat = channelsLast(cls, options.dataFormat);
    this.dilationRate = intTuple(cls, 'dilationRate', options.dilationRate ?? 1, rank);
    this.groups = options.groups ?? 1;
    if (this.groups !== 1) throw new Error(`${cls}: argument 'groups' must be 1 (grouped convolution is not implemented), received ${this.groups}`);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(`${cls}: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
        `Received: strides=${JSON.stringify(this.strides)} and dilation_rate=${JSON.stringify(this.dilationRate)}`);
    }
    this.kernelBias = new KernelBias(cls, options);
    assertUnset(cls, 'activityRegularizer', options.activityRegularizer);
    this.inputSpec = [{ minNdim: rank + 2 }];
  }

  override build(inputShape: LayerShape): void {
    const inChannels = definedChannels(this, inputShape);
    this.computeOutputShape(inputShape); // Keras validates the spatial sizes here, before creating weights
    [this.kernel, this.bias] = this.kernelBias.addWeights(this, [...this.kernelSize, inChannels, this.filters]);
    this.inputSpec = [{ minNdim: this.rank + 2, axes: { [-1]: inChannels } }];
    super.build(inputShape);
  }

  call(inputs: Tensor): Tensor {
    const options: ConvOptions = { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate };
    const bias = this.bias?.value ?? null;
    // relu and linear run fused with the bias in the convolution kernel; others follow it.
    const { activation } = this.kernelBias;
    const fused = activation === activations.relu ? 'relu' : 'linear';
    const y = convBiasActivation(inputs, this.kernel!.value, bias, fused, options);
    return fused === 'relu' || activation === activations.linear ? y : activation(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return convOutputShape(this, inputShape, this.filters);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      groups: this.groups,
      ...this.kernelBias.getConfig(),
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    };
  }
}

/** The geometry convOutputShape reads from a convolution layer. */
interface ConvGeometry extends Layer {
  readonly rank: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly dilationRate: readonly number[];
  readonly padding: Padding;
}

/** The output shape of `layer` on NHWC `inputShape`, with `channels` output channels (Keras: compute_conv_output_shape). */
export function convOutputShape(layer: ConvGeometry, inputShape: LayerShape, channels: number | null): LayerShape {
  const spatial = inputShape.slice(1, 1 + layer.rank).map((size, i) => (size === null ? null
    : window1D(`${layer.className} layer "${layer.name}"`, size, layer.kernelSize[i], layer.strides[i], layer.dilationRate[i], layer.padding).out));
  return [inputShape[0], ...spatial, channels];
}

/** The channel count of NHWC `inputShape`, which a convolution needs to create its weights. */
export function definedChannels(layer: Layer, inputShape: LayerShape): number {
  const channels = inputShape[inputShape.length - 1];
  if (channels === null) {
    throw new Error(`${layer.className} layer "${layer.name}": the channel dimension of the inputs should be defined, ` +
      `received input shape ${JSON.stringify(inputShape)}`);
  }
  return channels;
}
