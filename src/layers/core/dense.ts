/** Densely-connected layer. Mirrors keras/src/layers/core/dense.py. */
import type { Tensor } from '../../backend/tensor.js';
import type { Variable } from '../../backend/variable.js';
import { assertPositiveInt } from '../../ops/checks.js';
import { reshape } from '../../ops/core.js';
import { add, matmul } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { assertUnset, KernelBias, layerOptionsFromConfig, type KernelBiasOptions } from '../layer_options.js';

export interface DenseOptions extends LayerOptions, KernelBiasOptions {
  quantizationConfig?: null;
}

/**
 * Just your regular densely-connected NN layer: `activation(dot(inputs, kernel) + bias)`. On
 * inputs of rank above 2 it acts on the last axis.
 *
 * Args:
 *   units: the dimensionality of the output space.
 *   options: `activation`, `useBias`, `kernelInitializer`, `biasInitializer`,
 *     `kernelRegularizer`, `biasRegularizer`, and the layer options (`name`, `inputShape`, ...).
 *
 * Input shape: `(batch, ..., inputDim)`. Output shape: `(batch, ..., units)`.
 * Weights: `kernel` `(inputDim, units)`, then `bias` `(units,)`.
 *
 * Example:
 *   const dense = new keras.layers.Dense(128, {activation: 'relu'});
 *   dense.apply(keras.ops.ones([32, 1600])).shape;   // [32, 128]
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';

  readonly units: number;
  /** The activation, bias flag, initializers and regularizers. */
  readonly kernelBias: KernelBias;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    this.units = assertPositiveInt('Dense', 'units', units);
    this.kernelBias = new KernelBias('Dense', options);
    assertUnset('Dense', 'quantizationConfig', options.quantizationConfig);
    this.inputSpec = [{ minNdim: 2 }];
  }

  override build(inputShape: LayerShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null) {
      throw new Error(`Dense layer "${this.name}": the last dimension of the inputs should be defined, ` +
        `received input shape ${JSON.stringify(inputShape)}`);
    }
    [this.kernel, this.bias] = this.kernelBias.addWeights(this, [inputDim, this.units]);
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inputDim } }];
    super.build(inputShape);
  }

  call(inputs: Tensor): Tensor {
    // Rank > 2: one matrix product over all leading positions, then the leading shape back.
    const rows = inputs.rank > 2 ? reshape(inputs, [-1, inputs.shape[inputs.rank - 1]]) : inputs;
    let y = matmul(rows, this.kernel!.value);
    if (this.bias) y = add(y, this.bias.value);
    if (rows !== inputs) y = reshape(y, [...inputs.shape.slice(0, -1), this.units]);
    return this.kernelBias.activation(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.kernelBias.getConfig(),
      kernel_constraint: null,
      bias_constraint: null,
      quantization_config: null,
    };
  }

  static fromConfig(config: Config): Dense {
    const { units, ...options } = layerOptionsFromConfig(config);
    return new Dense(units as number, options as DenseOptions);
  }
}
