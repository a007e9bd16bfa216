/** Applies an activation function. Mirrors keras/src/layers/activations/activation.py. */
import * as activations from '../../activations/index.js';
import type { Tensor } from '../../backend/tensor.js';
import type { Config } from '../../saving/serialization_lib.js';
import { Layer, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

/**
 * Applies an activation function to its input.
 *
 * Args:
 *   activation: a keras.activations name ('relu', 'softmax', ...) or function.
 *   options: the layer options.
 *
 * Example:
 *   new keras.layers.Activation('relu').apply(keras.tensor([-3, 0, 2])).toArray();   // [0, 0, 2]
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: activations.Activation;

  constructor(activation: activations.ActivationIdentifier, options: LayerOptions = {}) {
    super(options);
    this.activation = activations.get(activation);
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return this.activation(inputs);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }

  static fromConfig(config: Config): Activation {
    const { activation, ...options } = layerOptionsFromConfig(config);
    return new Activation(activation as activations.ActivationIdentifier, options as LayerOptions);
  }
}
