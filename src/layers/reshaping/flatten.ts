/** Flattens the input. Mirrors keras/src/layers/reshaping/flatten.py. */
import type { Tensor } from '../../backend/tensor.js';
import { reshape } from '../../ops/core.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { channelsLast, layerOptionsFromConfig } from '../layer_options.js';

export interface FlattenOptions extends LayerOptions {
  /** Only 'channels_last', Keras's default image data format. */
  dataFormat?: 'channels_last' | null;
}

/**
 * Flattens the input, keeping the batch dimension: `(batch, ...)` becomes `(batch, product)`;
 * a rank-1 input becomes `(batch, 1)`.
 *
 * Args:
 *   options: the layer options.
 *
 * Example:
 *   new keras.layers.Flatten().apply(keras.ops.ones([32, 5, 5, 64])).shape;   // [32, 1600]
 */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  readonly dataFormat: 'channels_last';

  constructor(options: FlattenOptions = {}) {
    super(options);
    this.dataFormat = channelsLast('Flatten', options.dataFormat);
    this.inputSpec = [{ minNdim: 1 }];
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, [inputs.shape[0], inputs.size / Math.max(inputs.shape[0], 1)]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.includes(null) ? null : rest.reduce<number>((n, d) => n * d!, 1)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }

  static fromConfig(config: Config): Flatten {
    return new Flatten(layerOptionsFromConfig(config));
  }
}
