/** Mirrors Mean in keras/src/metrics/reduction_metrics.py. */
import { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import { zeros, type TensorLike } from '../ops/core.js';
import { add, broadcastTo, divide, mean, multiply, sum } from '../ops/numpy.js';
import { applyMask, floatTensor, getLossMask, squeezeOrExpandToSameRank } from '../losses/loss.js';
import { Metric, type MetricOptions } from './metric.js';

const trailingAxes = (from: number, rank: number): number[] => Array.from({ length: rank - from }, (_, i) => from + i);

/**
 * Brings values and sample weights to one value and one weight per sample
 * (reduction_metrics.py reduce_to_samplewise_values): values are averaged over the axes the
 * weights lack, weights are broadcast to the values, then both are averaged past the first axis.
 */
function samplewise(values: Tensor, sampleWeight: TensorLike | null): { values: Tensor; weights: Tensor | null } {
  let v = values;
  let w = sampleWeight === null ? null : floatTensor(sampleWeight);
  if (w) {
    w = applyMask(w, getLossMask(values), 'sum')!;
    [v, w] = squeezeOrExpandToSameRank(v, w);
    const weightRank = w.rank;
    if (v.rank > weightRank) v = mean(v, trailingAxes(weightRank, v.rank));
    w = broadcastTo(w, v.shape);
    v = multiply(v, w);
    if (weightRank > 1) w = mean(w, trailingAxes(1, weightRank));
  }
  if (v.rank > 1) v = mean(v, trailingAxes(1, v.rank));
  return { values: v, weights: w };
}

/**
 * The (weighted) running mean of the values given to `updateState`. State: `total` and
 * `count`; the result is total / count (0 while count is 0).
 *
 * Args:
 *   name: default 'mean'.
 *
 * Call arguments (`updateState`):
 *   values: numbers to average (a tensor's values are first averaged per sample).
 *   sampleWeight: optional weights: per sample, per value, or one number for the whole call.
 *
 * Example:
 * ```ts
 * const m = new Mean();
 * m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
 * m.result();  // 2
 * ```
 */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  readonly total: Variable;
  readonly count: Variable;

  // Keras: name="mean".
  constructor({ name = 'mean', ...options }: MetricOptions = {}) {
    super({ name, ...options });
    this.total = this.addVariable('total');
    this.count = this.addVariable('count');
  }

  updateState(values: TensorLike, sampleWeight: TensorLike | null = null): void {
    const { values: v, weights } = samplewise(floatTensor(values), sampleWeight);
    const samples = weights ? sum(weights) : v.rank >= 1 ? v.shape[0] : 1;
    this.total.assign(add(this.total.value, sum(v)));
    this.count.assign(add(this.count.value, samples));
  }

  result(): Tensor {
    const count = this.count.value.values[0];
    // ops.divide_no_nan: nothing seen yet gives 0.
    return count === 0 ? zeros([]) : divide(this.total.value, this.count.value);
  }
}
