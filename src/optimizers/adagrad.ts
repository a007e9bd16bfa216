/** The Adagrad optimizer. Mirrors keras/src/optimizers/adagrad.py. */
import type { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import { add, divide, multiply, sqrt, square } from '../ops/numpy.js';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulators; must be non-negative. */
  initialAccumulatorValue?: number;
  /** Small constant for numerical stability. */
  epsilon?: number;
}

export interface AdagradConfig extends OptimizerConfig {
  initial_accumulator_value: number;
  epsilon: number;
}

/**
 * Optimizer that implements the Adagrad algorithm: parameter-specific learning rates that shrink
 * as a parameter receives more updates ([Duchi et al., 2011](http://www.jmlr.org/papers/volume12/duchi11a/duchi11a.pdf)).
 *
 * Args:
 *   options.learningRate: a float or a `LearningRateSchedule`. Defaults to 0.001 (use 1.0 to
 *     match the paper).
 *   options.initialAccumulatorValue: starting value of the accumulators. Defaults to 0.1.
 *   options.epsilon: small constant for numerical stability. Defaults to 1e-7.
 *   ...and the options every optimizer takes (`OptimizerOptions`).
 *
 * Example:
 *
 * ```ts
 * const optimizer = new keras.optimizers.Adagrad({learningRate: 0.01});
 * ```
 */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private accumulators: Variable[] = [];

  constructor(options: AdagradOptions = {}) {
    // Keras: adagrad.py learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7
    super(options, 0.001, ['initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
    this.checkNonNegative('initial_accumulator_value', this.initialAccumulatorValue);
    this.checkNonNegative('epsilon', this.epsilon);
  }

  /** Creates the accumulator slots, filled with `initialAccumulatorValue`. */
  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this.accumulators] = this.addOptimizerVariables(variables, ['accumulator'], this.initialAccumulatorValue);
  }

  updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const accumulator = this.accumulators[this.variableIndex(variable)];
    this.assignAdd(accumulator, square(gradient));
    this.assignSub(variable, divide(multiply(learningRate, gradient), sqrt(add(accumulator.value, this.epsilon))));
  }

  override getConfig(): AdagradConfig {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
