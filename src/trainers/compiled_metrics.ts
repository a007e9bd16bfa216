/**
 * What fit/evaluate report: the running loss (Keras's loss tracker, a Mean weighted by batch
 * size) and the compiled metrics, reset at the start of each epoch or evaluation. Names such as
 * 'accuracy' are resolved at the first batch from the shapes of y and of the predictions, as
 * keras/src/trainers/compile_utils.py does.
 */
import type { Logs } from '../callbacks/callback.js';
import type { Tensor } from '../backend/tensor.js';
import { getCompileMetric } from '../metrics/compile_utils.js';
import { Mean } from '../metrics/mean.js';
import type { Metric } from '../metrics/metric.js';
import type { MetricIdentifier } from '../metrics/registry.js';

export class CompiledMetrics {
  private readonly lossTracker = new Mean({ name: 'loss' });
  private metrics: Metric[] | null = null;

  constructor(private readonly identifiers: readonly MetricIdentifier[]) {}

  /** 'loss' then the metrics in compile order (Keras's metrics_names). */
  names(): string[] {
    return ['loss', ...(this.metrics ?? []).map((m) => m.name)];
  }

  update(loss: Tensor, yTrue: Tensor, yPred: Tensor, batchSize: number): void {
    this.metrics ??= this.identifiers.map((id) => getCompileMetric(id, yTrue.shape, yPred.shape));
    this.lossTracker.updateState(loss, batchSize);
    for (const metric of this.metrics) metric.updateState(yTrue, yPred);
  }

  results(): Logs {
    const logs: Logs = { loss: scalar(this.lossTracker.result()) };
    for (const metric of this.metrics ?? []) logs[metric.name] = scalar(metric.result());
    return logs;
  }

  reset(): void {
    this.lossTracker.resetState();
    for (const metric of this.metrics ?? []) metric.resetState();
  }
}

function scalar(t: Tensor): number {
  return t.values[0] as number;
}
