/** The SGD optimizer. Mirrors keras/src/optimizers/sgd.py. */
import type { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import { multiply, subtract } from '../ops/numpy.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** A float in [0, 1] that accelerates gradient descent in the relevant direction; 0 is plain SGD. */
  momentum?: number;
  /** Whether to apply Nesterov momentum. */
  nesterov?: boolean;
}

export interface SGDConfig extends OptimizerConfig {
  momentum: number;
  nesterov: boolean;
}

/**
 * Gradient descent (with momentum) optimizer.
 *
 * With `momentum` 0: `w = w - learningRate * g`. Otherwise
 * `velocity = momentum * velocity - learningRate * g` and `w = w + velocity`, or with Nesterov
 * momentum `w = w + momentum * velocity - learningRate * g`.
 *
 * Args:
 *   options.learningRate: a float or a `LearningRateSchedule`. Defaults to 0.01.
 *   options.momentum: a float in [0, 1]. Defaults to 0.
 *   options.nesterov: whether to apply Nesterov momentum. Defaults to false.
 *   ...and the options every optimizer takes (`OptimizerOptions`).
 *
 * Example:
 *
 * ```ts
 * const optimizer = new keras.optimizers.SGD({learningRate: 0.1, momentum: 0.9, nesterov: true});
 * ```
 */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  private momentums: Variable[] = [];

  constructor(options: SGDOptions = {}) {
    // Keras: sgd.py learning_rate=0.01, momentum=0.0, nesterov=False
    super(options, 0.01, ['momentum', 'nesterov']);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      this.fail(`\`momentum\` must be a float between [0, 1]. Received: momentum=${this.momentum}`);
    }
  }

  /** Creates the momentum slots, only when `momentum` is not 0. */
  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    if (this.momentum !== 0) [this.momentums] = this.addOptimizerVariables(variables, ['momentum']);
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    if (this.momentum === 0) {
      this.assignSub(variable, multiply(gradient, learningRate));
      return;
    }
    const m = this.momentums[this.variableIndex(variable)];
    const velocity = (): Tensor => subtract(multiply(m.value, this.momentum), multiply(gradient, learningRate));
    this.assign(m, velocity());
    // Nesterov applies the velocity formula once more, to the updated velocity.
    this.assignAdd(variable, this.nesterov ? velocity() : m.value);
  }

  override getConfig(): SGDConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
