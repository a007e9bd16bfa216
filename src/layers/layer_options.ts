/**
 * What the layers in this folder share when reading their arguments: layer options from a Keras
 * config (the one camelCase key conversion, plus the dtype policy Keras writes), checks for
 * arguments keras-ts accepts only in their default form, and the kernel/bias/activation
 * arguments of Dense and the convolutions.
 */
import * as activations from '../activations/index.js';
import type { DType, Shape } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import * as initializers from '../initializers/index.js';
import { describe } from '../ops/checks.js';
import { isSerializedObject, type Config } from '../saving/serialization_lib.js';
import * as regularizers from '../regularizers/index.js';
import { camelKeys } from '../utils/naming.js';
import type { Layer } from './layer.js';

/**
 * Constructor options from a Keras layer config: keys in camelCase, and the
 * `{class_name: 'DTypePolicy', config: {name}}` Keras writes for `dtype` as its dtype name.
 */
export function layerOptionsFromConfig(config: Config): Record<string, unknown> {
  const options = camelKeys(config);
  if (isSerializedObject(options.dtype)) options.dtype = options.dtype.config.name as DType;
  return options;
}

/** Keras's standardize_data_format: null means the image data format, 'channels_last'. */
export function channelsLast(layer: string, dataFormat: string | null | undefined): 'channels_last' {
  const format = (dataFormat ?? 'channels_last').toLowerCase();
  if (format !== 'channels_last') {
    throw new Error(`${layer}: argument 'dataFormat' must be 'channels_last' (keras-ts keeps images NHWC), received ${describe(dataFormat)}`);
  }
  return format;
}

/** Keras's standardize_padding: 'valid' or 'same', in any case. */
export function standardizePadding(layer: string, padding: string): 'valid' | 'same' {
  const value = typeof padding === 'string' ? padding.toLowerCase() : padding;
  if (value !== 'valid' && value !== 'same') {
    throw new Error(`${layer}: argument 'padding' must be 'valid' or 'same', received ${describe(padding)}`);
  }
  return value;
}

/** Fails unless an argument keras-ts does not implement (constraints, activity regularizers) is left null. */
export function assertUnset(layer: string, arg: string, value: unknown): null {
  if (value !== null && value !== undefined) {
    throw new Error(`${layer}: argument '${arg}' is not supported by keras-ts and must be null, received ${describe(value)}`);
  }
  return null;
}

/** The arguments Dense and the convolutions share, spelled alike in Keras. */
export interface KernelBiasOptions {
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
}

/**
 * A kernel, an optional bias and an activation (Dense, Conv2D): the resolved arguments, the
 * weights they create, and their part of the Keras config.
 */
export class KernelBias {
  readonly activation: activations.Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;

  constructor(layer: string, options: KernelBiasOptions) {
    this.activation = activations.get(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = initializers.get(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(options.kernelRegularizer);
    this.biasRegularizer = regularizers.get(options.biasRegularizer);
    assertUnset(layer, 'kernelConstraint', options.kernelConstraint);
    assertUnset(layer, 'biasConstraint', options.biasConstraint);
  }

  /**
   * Adds `kernel` of `kernelShape`, then `bias` of `(units,)` when used, in Keras's order; units
   * is the kernel's last dimension unless given (a depthwise kernel's is the multiplier).
   */
  addWeights(layer: Layer, kernelShape: Shape, units = kernelShape[kernelShape.length - 1]): [Variable, Variable | null] {
    const kernel = layer.addWeight('kernel', kernelShape, { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    const bias = this.useBias ? layer.addWeight('bias', [units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer })
      : null;
    return [kernel, bias];
  }

  /** The config keys from `activation` to `bias_regularizer`, in Keras's order. */
  getConfig(): Config {
    return {
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
    };
  }
}
