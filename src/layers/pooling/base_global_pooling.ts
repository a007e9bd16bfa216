/** The shared part of global pooling layers. Mirrors keras/src/layers/pooling/base_global_pooling.py. */
import type { Tensor } from '../../backend/tensor.js';
import type { Axis } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { channelsLast, layerOptionsFromConfig } from '../layer_options.js';

export interface GlobalPoolingOptions extends LayerOptions {
  /** Only 'channels_last' (NHWC), Keras's default image data format. */
  dataFormat?: 'channels_last' | null;
  /** Keep the spatial axes with size 1. Keras: keepdims=False. */
  keepdims?: boolean;
}

type Reduction = (x: Tensor, axis: Axis, keepdims: boolean) => Tensor;

/** Reduces all spatial axes with `reduce` (mean or max), leaving `(batch, channels)`. */
export abstract class BaseGlobalPooling extends Layer {
  readonly dataFormat: 'channels_last';
  readonly keepdims: boolean;

  protected constructor(private readonly reduce: Reduction, private readonly poolDimensions: number, options: GlobalPoolingOptions) {
    super(options);
    this.dataFormat = channelsLast(this.className, options.dataFormat);
    this.keepdims = options.keepdims ?? false;
    this.inputSpec = [{ ndim: poolDimensions + 2 }];
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return this.reduce(inputs, Array.from({ length: this.poolDimensions }, (_, i) => i + 1), this.keepdims);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const channels = inputShape[inputShape.length - 1];
    return this.keepdims ? [inputShape[0], ...Array<number>(this.poolDimensions).fill(1), channels] : [inputShape[0], channels];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }

  static fromConfig<T extends BaseGlobalPooling>(this: new (options: GlobalPoolingOptions) => T, config: Config): T {
    return new this(layerOptionsFromConfig(config));
  }
}
