/**
 * The learning rate schedule base class. Mirrors keras/src/optimizers/schedules/learning_rate_schedule.py.
 */
import type { Tensor } from '../../backend/tensor.js';
import type { Config } from '../../saving/serialization_lib.js';

/**
 * A schedule modulates the learning rate of an optimizer over the training steps.
 *
 * A `LearningRateSchedule` can be passed as the `learningRate` option of any optimizer, which then
 * calls it with its iteration count before each update. Subclasses implement `call(step)` and
 * `getConfig()`, and keep a static `className` for serialization.
 *
 * Example:
 *
 * ```ts
 * const lrSchedule = new keras.optimizers.schedules.ExponentialDecay(1e-2, 10000, 0.9);
 * const optimizer = new keras.optimizers.SGD({learningRate: lrSchedule});
 * ```
 */
export abstract class LearningRateSchedule {
  /**
   * The learning rate at `step`.
   *
   * Args:
   *   step: a scalar integer tensor, the current optimizer step.
   *
   * Returns:
   *   A float32 scalar tensor.
   */
  abstract call(step: Tensor): Tensor;

  /** The config Keras writes for this schedule (snake_case keys). */
  abstract getConfig(): Config;
}
