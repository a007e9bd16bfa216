/** The Adam optimizer. Mirrors keras/src/optimizers/adam.py. */
import type { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import { cast } from '../ops/core.js';
import { add, divide, maximum, multiply, power, sqrt, square, subtract } from '../ops/numpy.js';
import { adamUpdate } from '../ops/optimizer_updates.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** Exponential decay rate for the 1st moment estimates. */
  beta1?: number;
  /** Exponential decay rate for the 2nd moment estimates. */
  beta2?: number;
  /** Small constant for numerical stability ("epsilon hat" in Kingma and Ba). */
  epsilon?: number;
  /** Whether to apply the AMSGrad variant ("On the Convergence of Adam and beyond"). */
  amsgrad?: boolean;
}

export interface AdamConfig extends OptimizerConfig {
  beta_1: number;
  beta_2: number;
  epsilon: number;
  amsgrad: boolean;
}

const ADAM_OPTIONS = ['beta1', 'beta2', 'epsilon', 'amsgrad'];

/**
 * Optimizer that implements the Adam algorithm.
 *
 * Adam is a stochastic gradient descent method based on adaptive estimation of first-order and
 * second-order moments ([Kingma et al., 2014](http://arxiv.org/abs/1412.6980)).
 *
 * Args:
 *   options.learningRate: a float or a `LearningRateSchedule`. Defaults to 0.001.
 *   options.beta1: decay rate for the 1st moment estimates. Defaults to 0.9.
 *   options.beta2: decay rate for the 2nd moment estimates. Defaults to 0.999.
 *   options.epsilon: small constant for numerical stability. Defaults to 1e-7.
 *   options.amsgrad: whether to apply AMSGrad. Defaults to false.
 *   ...and the options every optimizer takes (`OptimizerOptions`).
 *
 * Example:
 *
 * ```ts
 * const optimizer = new keras.optimizers.Adam({learningRate: 1e-3});
 * optimizer.applyGradients([[grad, variable]]);
 * ```
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private momentums: Variable[] = [];
  private velocities: Variable[] = [];
  private velocityHats: Variable[] = [];
  /** The bias-corrected step size of the step under way, the same for every variable. */
  private alpha = 0;

  constructor(options: AdamOptions = {}) {
    // Keras: adam.py learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False
    super(options, 0.001, ADAM_OPTIONS);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
    this.checkUnitInterval('beta_1', this.beta1);
    this.checkUnitInterval('beta_2', this.beta2);
    this.checkNonNegative('epsilon', this.epsilon);
  }

  /** Creates the momentum and velocity slots (and velocity_hat with AMSGrad). */
  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.momentums, this.velocities] = this.addOptimizerVariables(variables, ['momentum', 'velocity']);
    if (this.amsgrad) [this.velocityHats] = this.addOptimizerVariables(variables, ['velocity_hat']);
  }

  updateStep(gradient: Tensor, variable: Variable, _learningRate: Tensor): void {
    const index = this.variableIndex(variable);
    const m = this.momentums[index];
    const v = this.velocities[index];
    const alpha = this.alpha;
    if (!this.amsgrad) {
      // The same arithmetic as below, fused into one kernel pass per weight.
      const p = { alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
      const [w, mNext, vNext] = adamUpdate(variable.value, gradient, m.value, v.value, p);
      m.assign(mNext);
      v.assign(vNext);
      variable.assign(w);
      return;
    }
    // AMSGrad divides by the largest velocity seen so far.
    this.assignAdd(m, multiply(subtract(gradient, m.value), 1 - this.beta1));
    this.assignAdd(v, multiply(subtract(square(gradient), v.value), 1 - this.beta2));
    const vHat = this.velocityHats[index];
    this.assign(vHat, maximum(vHat.value, v.value));
    this.assignSub(variable, divide(multiply(m.value, alpha), add(sqrt(vHat.value), this.epsilon)));
  }

  /** The bias correction folded into the step size, in adam.py's order of operations. */
  protected override prepareStep(learningRate: Tensor): void {
    const localStep = cast(add(this.iterations, 1), 'float32');
    const beta1Power = power(this.beta1, localStep);
    const beta2Power = power(this.beta2, localStep);
    this.alpha = divide(multiply(learningRate, sqrt(subtract(1, beta2Power))), subtract(1, beta1Power)).values[0];
  }

  override getConfig(): AdamConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
