/** Exponential learning rate decay. Mirrors ExponentialDecay in keras/src/optimizers/schedules/learning_rate_schedule.py. */
import type { Tensor } from '../../backend/tensor.js';
import { cast, convertToTensor } from '../../ops/core.js';
import { divide, floor, multiply, power } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import { camelKeys } from '../../utils/naming.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface ExponentialDecayOptions {
  /** If true, `step / decaySteps` is an integer division and the rate decays in discrete steps. */
  staircase?: boolean;
  /** Name of the schedule. */
  name?: string;
}

export interface ExponentialDecayConfig extends Config {
  initial_learning_rate: number;
  decay_steps: number;
  decay_rate: number;
  staircase: boolean;
  name: string;
}

/**
 * A `LearningRateSchedule` that uses an exponential decay schedule:
 * `initialLearningRate * decayRate ** (step / decaySteps)`.
 *
 * Args:
 *   initialLearningRate: the initial learning rate.
 *   decaySteps: a positive integer, see the formula above.
 *   decayRate: the decay rate.
 *   options.staircase: if true, `step / decaySteps` is floored. Defaults to false.
 *   options.name: defaults to 'ExponentialDecay'.
 *
 * Example: decay every 100000 steps with a base of 0.96.
 *
 * ```ts
 * const lrSchedule = new keras.optimizers.schedules.ExponentialDecay(0.1, 100000, 0.96, {staircase: true});
 * const optimizer = new keras.optimizers.SGD({learningRate: lrSchedule});
 * ```
 */
export class ExponentialDecay extends LearningRateSchedule {
  static readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  // Keras: learning_rate_schedule.py staircase=False, name="ExponentialDecay"
  constructor(initialLearningRate: number, decaySteps: number, decayRate: number, options: ExponentialDecayOptions = {}) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? 'ExponentialDecay';
    if (!(decaySteps > 0)) throw new Error(`Argument \`decay_steps\` must be > 0. Received: decay_steps=${decaySteps}`);
  }

  call(step: Tensor): Tensor {
    const initial = convertToTensor(this.initialLearningRate);
    let p = divide(cast(step, 'float32'), this.decaySteps);
    if (this.staircase) p = floor(p);
    return multiply(initial, power(this.decayRate, p));
  }

  getConfig(): ExponentialDecayConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  static fromConfig(config: Config): ExponentialDecay {
    const { initialLearningRate, decaySteps, decayRate, ...options } = camelKeys(config);
    return new ExponentialDecay(initialLearningRate as number, decaySteps as number, decayRate as number, options);
  }
}
