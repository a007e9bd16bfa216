/** Batch normalization. Mirrors keras/src/layers/normalization/batch_normalization.py. */
import type { Tensor } from '../../backend/tensor.js';
import type { Variable } from '../../backend/variable.js';
import * as initializers from '../../initializers/index.js';
import { describe, normalizeAxis } from '../../ops/checks.js';
import { batchNormalization, batchNormTraining } from '../../ops/nn.js';
import { add, multiply } from '../../ops/numpy.js';
import * as regularizers from '../../regularizers/index.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type CallOptions, type LayerOptions } from '../layer.js';
import { assertUnset, layerOptionsFromConfig } from '../layer_options.js';

export interface BatchNormalizationOptions extends LayerOptions {
  /** The features axis (usually the channels). Keras: axis=-1. */
  axis?: number;
  /** Momentum of the moving statistics. Keras: momentum=0.99. */
  momentum?: number;
  /** Added to the variance before the square root. Keras: epsilon=1e-3. */
  epsilon?: number;
  /** Add the learned offset `beta`. Keras: center=True. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`. Keras: scale=True. */
  scale?: boolean;
  /** Keras: beta_initializer="zeros". */
  betaInitializer?: initializers.InitializerIdentifier;
  /** Keras: gamma_initializer="ones". */
  gammaInitializer?: initializers.InitializerIdentifier;
  /** Keras: moving_mean_initializer="zeros". */
  movingMeanInitializer?: initializers.InitializerIdentifier;
  /** Keras: moving_variance_initializer="ones". */
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: null;
  gammaConstraint?: null;
  /** Batch renormalization is not implemented; must stay false. */
  renorm?: false;
  renormClipping?: null;
  /** Keras: renorm_momentum=0.99 (stored for the config; used only with renorm). */
  renormMomentum?: number;
  /** Keras allows it only on the TensorFlow backend; must stay false. */
  synchronized?: false;
}

/**
 * Normalizes its inputs per feature: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.
 *
 * While training (`training: true` on a trainable layer) it uses the batch's mean and (biased)
 * variance and moves `movingMean`/`movingVariance` towards them:
 * `moving = moving * momentum + batch * (1 - momentum)`. Otherwise, and always when the layer is
 * frozen (`trainable = false`), it uses the moving statistics, as Keras does.
 *
 * Args:
 *   options: `axis`, `momentum`, `epsilon`, `center`, `scale`, the initializers and regularizers
 *     of `beta`/`gamma`, the moving statistics' initializers, and the layer options.
 *
 * Call arguments: `training`.
 * Weights: `gamma`, `beta` (trainable), then `moving_mean`, `moving_variance` (non-trainable).
 *
 * Example:
 *   const bn = new keras.layers.BatchNormalization();
 *   const y = bn.apply(keras.ops.ones([8, 16]), {training: true});
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  readonly movingMeanInitializer: initializers.Initializer;
  readonly movingVarianceInitializer: initializers.Initializer;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly renormMomentum: number;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    const cls = 'BatchNormalization';
    // Keras: batch_normalization.py axis=-1, momentum=0.99, epsilon=1e-3, center=scale=True.
    this.axis = options.axis ?? -1;
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    if (!Number.isInteger(this.axis)) throw new Error(`${cls}: argument 'axis' must be an integer, received ${describe(options.axis)}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`${cls}: argument 'momentum' must be in [0, 1], received ${describe(options.momentum)}`);
    if (!(this.epsilon > 0)) throw new Error(`${cls}: argument 'epsilon' must be a positive number, received ${describe(options.epsilon)}`);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInitializer = initializers.get(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = initializers.get(options.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = initializers.get(options.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = initializers.get(options.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = regularizers.get(options.betaRegularizer);
    this.gammaRegularizer = regularizers.get(options.gammaRegularizer);
    assertUnset(cls, 'betaConstraint', options.betaConstraint);
    assertUnset(cls, 'gammaConstraint', options.gammaConstraint);
    assertUnset(cls, 'renormClipping', options.renormClipping);
    if (options.renorm) throw new Error(`${cls}: argument 'renorm' must be false (batch renormalization is not implemented), received true`);
    if (options.synchronized) {
      throw new Error(`${cls}: argument synchronized=True is only supported with the TensorFlow backend; keras-ts has one device`);
    }
    this.renormMomentum = options.renormMomentum ?? 0.99;
  }

  override build(inputShape: LayerShape): void {
    const axis = normalizeAxis(`BatchNormalization layer "${this.name}"`, this.axis, inputShape.length);
    const features = inputShape[axis];
    if (features === null) {
      throw new Error(`BatchNormalization layer "${this.name}": axis ${this.axis} of the input shape must be defined, ` +
        `received input shape ${JSON.stringify(inputShape)}`);
    }
    const shape = [features];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, { initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight('moving_mean', shape, { initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, { initializer: this.movingVarianceInitializer, trainable: false });
    this.inputSpec = [{ ndim: inputShape.length, axes: { [this.axis]: features } }];
    super.build(inputShape);
  }

  call(inputs: Tensor, { training = false }: CallOptions = {}): Tensor {
    const gamma = this.gamma?.value ?? null;
    const beta = this.beta?.value ?? null;
    const movingMean = this.movingMean!;
    const movingVariance = this.movingVariance!;
    if (!(training && this.trainable)) {
      return batchNormalization(inputs, movingMean.value, movingVariance.value, this.axis, beta, gamma, this.epsilon);
    }
    const batch = batchNormTraining(inputs, gamma, beta, this.axis, this.epsilon);
    const move = (moving: Variable, value: Tensor): void =>
      moving.assign(add(multiply(moving.value, this.momentum), multiply(value, 1 - this.momentum)));
    move(movingMean, batch.mean);
    move(movingVariance, batch.variance);
    return batch.output;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    normalizeAxis(`BatchNormalization layer "${this.name}"`, this.axis, inputShape.length);
    return inputShape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      moving_mean_initializer: initializers.serialize(this.movingMeanInitializer),
      moving_variance_initializer: initializers.serialize(this.movingVarianceInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: null,
      gamma_constraint: null,
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: this.renormMomentum,
    };
  }

  static fromConfig(config: Config): BatchNormalization {
    return new BatchNormalization(layerOptionsFromConfig(config) as BatchNormalizationOptions);
  }
}
