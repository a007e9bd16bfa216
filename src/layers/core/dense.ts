/** Densely-connected layer. Mirrors keras/src/layers/core/dense.py. */
import * as activations from '../../activations/index.js';
import type { Tensor } from '../../backend/tensor.js';
import type { Variable } from '../../backend/variable.js';
import * as initializers from '../../initializers/index.js';
import { assertPositiveInt } from '../../ops/checks.js';
import { reshape } from '../../ops/core.js';
import { add, matmul } from '../../ops/numpy.js';
import * as regularizers from '../../regularizers/index.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { assertUnset, layerOptionsFromConfig } from '../layer_options.js';

export interface DenseOptions extends LayerOptions {
  /** Keras: activation=None, i.e. linear. */
  activation?: activations.ActivationIdentifier;
  /** Keras: use_bias=True. */
  useBias?: boolean;
  /** Keras: kernel_initializer="glorot_uniform". */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Keras: bias_initializer="zeros". */
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: null;
  biasConstraint?: null;
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
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    this.units = assertPositiveInt('Dense', 'units', units);
    this.activation = activations.get(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = initializers.get(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(options.kernelRegularizer);
    this.biasRegularizer = regularizers.get(options.biasRegularizer);
    assertUnset('Dense', 'kernelConstraint', options.kernelConstraint);
    assertUnset('Dense', 'biasConstraint', options.biasConstraint);
    assertUnset('Dense', 'quantizationConfig', options.quantizationConfig);
    this.inputSpec = [{ minNdim: 2 }];
  }

  override build(inputShape: LayerShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === null) {
      throw new Error(`Dense layer "${this.name}": the last dimension of the inputs should be defined, ` +
        `received input shape ${JSON.stringify(inputShape)}`);
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    }
    this.inputSpec = [{ minNdim: 2, axes: { [-1]: inputDim } }];
    super.build(inputShape);
  }

  call(inputs: Tensor): Tensor {
    // Rank > 2: one matrix product over all leading positions, then the leading shape back.
    const rows = inputs.rank > 2 ? reshape(inputs, [-1, inputs.shape[inputs.rank - 1]]) : inputs;
    let y = matmul(rows, this.kernel!.value);
    if (this.bias) y = add(y, this.bias.value);
    if (rows !== inputs) y = reshape(y, [...inputs.shape.slice(0, -1), this.units]);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
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
