/** The Metric base class. Mirrors keras/src/metrics/metric.py. */
import type { Tensor } from '../backend/tensor.js';
import { Variable } from '../backend/variable.js';
import { zeros, type TensorLike } from '../ops/core.js';
import type { Config } from '../saving/serialization_lib.js';
import { camelKeys, toSnakeCase, uniquify } from '../utils/naming.js';

export interface MetricOptions {
  /** Defaults to the class's Keras name ('accuracy', 'mean'...). */
  name?: string;
  /** Only 'float32' (Keras: dtype=None, meaning floatx()). */
  dtype?: string | null;
}

/**
 * Metric base class: state variables that `updateState` accumulates and `result` reads.
 *
 * To subclass: create the state in the constructor with `addVariable`, accumulate it in
 * `updateState` with `variable.assign(...)`, and compute the value from it in `result`.
 *
 * Args:
 *   name: the metric's name, the key it has in training logs.
 *   dtype: 'float32'.
 *
 * Example:
 * ```ts
 * const m = new keras.metrics.Mean();
 * m.updateState([1, 3, 5, 7]);
 * m.result();  // 4
 * ```
 */
export abstract class Metric {
  static readonly className: string = 'Metric';
  name: string;
  readonly dtype = 'float32';
  private readonly state: Variable[] = [];

  constructor({ name, dtype }: MetricOptions = {}) {
    if (dtype !== undefined && dtype !== null && dtype !== 'float32') {
      throw new Error(`Metric dtype must be 'float32' (the only float type here). Received: dtype=${dtype}`);
    }
    this.name = name ?? uniquify(toSnakeCase((this.constructor as typeof Metric).className));
  }

  /** Creates a scalar, non-trainable state variable initialized to zero (Keras's add_variable). */
  protected addVariable(name: string): Variable {
    const variable = new Variable(zeros([]), { name, path: `${this.name}/${name}`, trainable: false });
    this.state.push(variable);
    return variable;
  }

  /** The state variables, in creation order. */
  get variables(): readonly Variable[] {
    return this.state;
  }

  /** Accumulates statistics: `(yTrue, yPred, sampleWeight?)` for most metrics, `(values, sampleWeight?)` for Mean. */
  abstract updateState(...args: (TensorLike | null | undefined)[]): void;

  /** The current value, from the state. */
  abstract result(): Tensor;

  /** Sets every state variable back to zero (called between epochs). */
  resetState(): void {
    for (const v of this.state) v.assign(zeros(v.shape));
  }

  getConfig(): Config {
    return { name: this.name, dtype: this.dtype };
  }

  /** Rebuilds a metric from `getConfig()`'s output (Keras: `cls(**config)`). */
  static fromConfig(this: new (options: MetricOptions) => Metric, config: Config): Metric {
    return new this(camelKeys(config) as MetricOptions);
  }
}
