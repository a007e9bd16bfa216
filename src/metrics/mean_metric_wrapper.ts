/** Mirrors MeanMetricWrapper in keras/src/metrics/reduction_metrics.py. */
import type { TensorLike } from '../ops/core.js';
import { parseWrapperConfig, wrapperConfig } from '../losses/loss_function_wrapper.js';
import type { LossFunction } from '../losses/losses.js';
import type { Config } from '../saving/serialization_lib.js';
import { toSnakeCase, uniquify } from '../utils/naming.js';
import { METRIC_FUNCTIONS } from './accuracy_metrics.js';
import { Mean } from './mean.js';
import type { Metric, MetricOptions } from './metric.js';

/** A metric function: per-sample values of `yPred` against `yTrue`, given options of type O. */
export type MetricFunction<O extends object = object> = LossFunction<O>;

/**
 * The running mean of a per-sample function `fn(yTrue, yPred, options)`: what most metrics are.
 *
 * Args:
 *   fn: the function (any loss function works too).
 *   options: `name` (default 'mean_metric_wrapper'), `dtype`, and the rest passed on to `fn`.
 *
 * Call arguments (`updateState`): yTrue, yPred, and optional sampleWeight (see Mean).
 *
 * Example:
 * ```ts
 * const m = new MeanMetricWrapper(keras.losses.meanSquaredError, {name: 'mse'});
 * m.updateState([[0, 1]], [[1, 1]]);
 * m.result();  // 0.5
 * ```
 */
export class MeanMetricWrapper<O extends object = object> extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fnOptions: O;
  // As in LossFunctionWrapper: only a wrapper made directly has `fn` in its config.
  private readonly configHasFn = this.constructor === MeanMetricWrapper;

  constructor(readonly fn: MetricFunction<O>, { name, dtype, ...fnOptions }: MetricOptions & O) {
    // Keras passes name=None up, so the default is the class's auto name, not Mean's 'mean'.
    super({ name: name ?? uniquify(toSnakeCase(new.target.className)), dtype });
    this.fnOptions = fnOptions as O;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | null = null): void {
    super.updateState(this.fn(yTrue, yPred, this.fnOptions), sampleWeight);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...wrapperConfig(this.configHasFn, this.fn as MetricFunction, this.fnOptions, METRIC_FUNCTIONS) };
  }

  /** A config with `fn` rebuilds a wrapper around that function (reduction_metrics.py from_config); others the class itself. */
  static override fromConfig(this: new (options: MetricOptions) => Metric, config: Config): Metric {
    const { fn, options } = parseWrapperConfig(config, METRIC_FUNCTIONS);
    return fn ? new MeanMetricWrapper(fn, options as MetricOptions) : new this(options as MetricOptions);
  }
}
