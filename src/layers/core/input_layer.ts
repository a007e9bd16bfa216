/** The entry point of a functional graph. Mirrors keras/src/layers/core/input_layer.py. */
import { KerasTensor } from '../../backend/keras_tensor.js';
import type { DType, Tensor } from '../../backend/tensor.js';
import type { Config } from '../../saving/serialization_lib.js';
import { uniquify } from '../../utils/naming.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerInput } from '../layer.js';
import { Node } from '../node.js';

export interface InputOptions {
  /** The shape of one sample, without the batch dimension. */
  shape?: readonly (number | null)[];
  batchSize?: number;
  /** The full shape including the batch dimension (instead of shape/batchSize). */
  batchShape?: readonly (number | null)[];
  name?: string;
  dtype?: DType;
}

export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  readonly batchShape: LayerShape;
  /** The symbolic tensor this layer feeds into the graph. */
  readonly output: KerasTensor;

  constructor(options: InputOptions = {}) {
    // Keras names inputs from their own counter: 'input_layer', 'input_layer_1', ...
    super({ name: options.name ?? uniquify('input_layer'), dtype: options.dtype });
    if (!options.shape && !options.batchShape) {
      throw new Error('InputLayer: you must pass a `shape` argument (the shape of one sample, e.g. [28, 28, 1])');
    }
    const batchShape = options.batchShape ?? [options.batchSize ?? null, ...options.shape!];
    if (batchShape.some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
      throw new Error(`InputLayer: shape dimensions must be non-negative integers or null, received ${JSON.stringify(options.shape ?? batchShape)}`);
    }
    this.batchShape = batchShape;
    this.output = new KerasTensor(batchShape, this.dtype, this.name);
    const node = new Node(this, [], [this.output]);
    this.output.history = { node, index: 0 };
    this.inboundNodes.push(node);
    this.built = true;
  }

  call(inputs: LayerInput): Tensor {
    return inputs as Tensor;
  }

  override getConfig(): Config {
    return { batch_shape: this.batchShape, dtype: this.dtype, sparse: false, ragged: false, name: this.name, optional: false };
  }

  static fromConfig(config: Config): InputLayer {
    return new InputLayer({ batchShape: config.batch_shape as LayerShape, name: config.name as string, dtype: config.dtype as DType });
  }
}

/**
 * A symbolic input for the functional API (keras.Input).
 *
 * Example: `const x = keras.Input({shape: [28, 28, 1]});`
 */
export function Input(options: InputOptions): KerasTensor {
  return new InputLayer(options).output;
}
