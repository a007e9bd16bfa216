/** The shared part of pooling layers. Mirrors keras/src/layers/pooling/base_pooling.py. */
import type { Tensor } from '../../backend/tensor.js';
import { intTuple } from '../../ops/checks.js';
import type { PoolOptions } from '../../ops/nn.js';
import { window1D } from '../../ops/operation_utils.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { channelsLast, layerOptionsFromConfig, standardizePadding } from '../layer_options.js';

export interface Pooling2DOptions extends LayerOptions {
  /** The window's height and width (one number for a square window). Keras: pool_size=(2, 2). */
  poolSize?: number | readonly number[];
  /** Keras: strides=None, meaning the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' (the default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Only 'channels_last' (NHWC), Keras's default image data format. */
  dataFormat?: 'channels_last' | null;
}

type PoolOp = (x: Tensor, poolSize: readonly number[], options: PoolOptions) => Tensor;

/**
 * A window sliding over the spatial axes, reducing each window with `pool` (max or average).
 * The first constructor argument is the pool size, or all the options at once.
 */
export abstract class BasePooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: 'channels_last';
  private readonly pool: PoolOp;

  protected constructor(pool: PoolOp, poolDimensions: number,
    poolSize: number | readonly number[] | Pooling2DOptions | undefined, options: Pooling2DOptions) {
    const all: Pooling2DOptions = typeof poolSize === 'object' && !Array.isArray(poolSize) ? poolSize as Pooling2DOptions
      : { ...options, poolSize: poolSize as number | readonly number[] | undefined };
    super(all);
    const cls = this.className;
    this.pool = pool;
    this.poolSize = intTuple(cls, 'poolSize', all.poolSize ?? 2, poolDimensions);
    this.strides = intTuple(cls, 'strides', all.strides ?? this.poolSize, poolDimensions);
    this.padding = standardizePadding(cls, all.padding ?? 'valid');
    this.dataFormat = channelsLast(cls, all.dataFormat);
    this.inputSpec = [{ ndim: poolDimensions + 2 }];
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return this.pool(inputs, this.poolSize, { strides: this.strides, padding: this.padding });
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const spatial = inputShape.slice(1, -1).map((size, i) => (size === null ? null
      : window1D(`${this.className} layer "${this.name}"`, size, this.poolSize[i], this.strides[i], 1, this.padding).out));
    return [inputShape[0], ...spatial, inputShape[inputShape.length - 1]];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), pool_size: this.poolSize, padding: this.padding, strides: this.strides, data_format: this.dataFormat };
  }

  static fromConfig<T extends BasePooling>(this: new (options: Pooling2DOptions) => T, config: Config): T {
    return new this(layerOptionsFromConfig(config));
  }
}
