/** Softmax activation layer. Mirrors keras/src/layers/activations/softmax.py. */
import type { Tensor } from '../../backend/tensor.js';
import { softmax } from '../../ops/nn.js';
import type { Config } from '../../saving/serialization_lib.js';
import { Layer, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

export interface SoftmaxOptions extends LayerOptions {
  /** The axis along which the softmax normalizes. Keras: axis=-1. */
  axis?: number;
}

/**
 * Softmax activation layer: `exp(x) / sum(exp(x))` along `axis`, computed stably.
 *
 * Args:
 *   options: `axis` (default -1) and the layer options.
 *
 * Example:
 *   new keras.layers.Softmax().apply(keras.tensor([[1, 1]])).toArray();   // [[0.5, 0.5]]
 */
export class Softmax extends Layer {
  static override readonly className = 'Softmax';
  readonly axis: number;

  constructor(options: SoftmaxOptions = {}) {
    super(options);
    this.axis = options.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`Softmax: argument 'axis' must be an integer, received ${String(options.axis)}`);
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return softmax(inputs, this.axis);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: Config): Softmax {
    return new Softmax(layerOptionsFromConfig(config));
  }
}
