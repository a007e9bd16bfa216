/** The RMSprop optimizer. Mirrors keras/src/optimizers/rmsprop.py. */
import type { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import { add, divide, multiply, sqrt, square, subtract } from '../ops/numpy.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Discounting factor for the old gradients. */
  rho?: number;
  /** If not 0, the optimizer tracks a momentum with this decay. */
  momentum?: number;
  /** Small constant for numerical stability. */
  epsilon?: number;
  /** If true, gradients are normalized by the estimated variance of the gradient. */
  centered?: boolean;
}

export interface RMSpropConfig extends OptimizerConfig {
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/**
 * Optimizer that implements the RMSprop algorithm: keep a moving average of the square of the
 * gradients and divide the gradient by its root. This implementation uses plain momentum, not
 * Nesterov momentum. The centered version also keeps a moving average of the gradients and uses
 * it to estimate the variance.
 *
 * Args:
 *   options.learningRate: a float or a `LearningRateSchedule`. Defaults to 0.001.
 *   options.rho: discounting factor for the old gradients. Defaults to 0.9.
 *   options.momentum: defaults to 0.
 *   options.epsilon: small constant for numerical stability. Defaults to 1e-7.
 *   options.centered: defaults to false.
 *   ...and the options every optimizer takes (`OptimizerOptions`).
 *
 * Example:
 *
 * ```ts
 * const optimizer = new keras.optimizers.RMSprop({learningRate: 0.1});
 * ```
 */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private velocities: Variable[] = [];
  private momentums: Variable[] = [];
  private averageGradients: Variable[] = [];

  constructor(options: RMSpropOptions = {}) {
    // Keras: rmsprop.py learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False
    super(options, 0.001, ['rho', 'momentum', 'epsilon', 'centered']);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    this.checkUnitInterval('rho', this.rho);
    this.checkUnitInterval('momentum', this.momentum, true);
    this.checkNonNegative('epsilon', this.epsilon);
  }

  /** Creates the velocity slots, then momentum (if `momentum` > 0) and average_gradient (if centered). */
  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.velocities] = this.addOptimizerVariables(variables, ['velocity']);
    if (this.momentum > 0) [this.momentums] = this.addOptimizerVariables(variables, ['momentum']);
    if (this.centered) [this.averageGradients] = this.addOptimizerVariables(variables, ['average_gradient']);
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const index = this.variableIndex(variable);
    const velocity = this.velocities[index];
    const rho = this.rho;
    this.assign(velocity, add(multiply(rho, velocity.value), multiply(1 - rho, square(gradient))));
    let denominator: Tensor;
    if (this.centered) {
      const averageGrad = this.averageGradients[index];
      this.assign(averageGrad, add(multiply(rho, averageGrad.value), multiply(1 - rho, gradient)));
      denominator = add(subtract(velocity.value, square(averageGrad.value)), this.epsilon);
    } else {
      denominator = add(velocity.value, this.epsilon);
    }
    const increment = divide(multiply(learningRate, gradient), sqrt(denominator));
    if (this.momentum > 0) {
      const momentum = this.momentums[index];
      this.assign(momentum, add(multiply(this.momentum, momentum.value), increment));
      this.assignSub(variable, momentum.value);
    } else {
      this.assignSub(variable, increment);
    }
  }

  override getConfig(): RMSpropConfig {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
