/** Reshapes the input. Mirrors keras/src/layers/reshaping/reshape.py. */
import { formatShape, type Tensor } from '../../backend/tensor.js';
import { reshape } from '../../ops/core.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

/**
 * Reshapes each sample to `targetShape` (without the batch dimension); one entry may be -1, to be
 * inferred from the others.
 *
 * Args:
 *   targetShape: the new shape of one sample.
 *   options: the layer options.
 *
 * Example:
 *   new keras.layers.Reshape([-1, 4]).apply(keras.ops.ones([2, 3, 8])).shape;   // [2, 6, 4]
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(targetShape: readonly number[], options: LayerOptions = {}) {
    super(options);
    const target = [...targetShape];
    if (target.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || target.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape: argument 'targetShape' must hold positive integers and at most one -1, received ${JSON.stringify(targetShape)}`);
    }
    this.targetShape = target;
    // Keras: Reshape is built once constructed (it has no weights).
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, [inputs.shape[0], ...this.sampleShape(inputs.shape.slice(1))]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const sample = inputShape.slice(1);
    return [inputShape[0], ...(sample.includes(null) ? this.targetShape.map((d) => (d === -1 ? null : d)) : this.sampleShape(sample as number[]))];
  }

  /** The target shape with -1 resolved for a sample of `sample` (Keras's compute_reshape_output_shape). */
  private sampleShape(sample: readonly number[]): number[] {
    const size = sample.reduce((n, d) => n * d, 1);
    const known = this.targetShape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    const unknown = this.targetShape.indexOf(-1);
    if (unknown < 0 ? known !== size : size % known !== 0) {
      throw new Error(`Reshape layer "${this.name}": the total size of the tensor must be unchanged. ` +
        `Received: input_shape=${formatShape(sample)}, target_shape=${formatShape(this.targetShape)}`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), target_shape: this.targetShape };
  }

  static fromConfig(config: Config): Reshape {
    const { targetShape, ...options } = layerOptionsFromConfig(config);
    return new Reshape(targetShape as number[], options as LayerOptions);
  }
}
