/**
 * compile(): turns the optimizer, loss and metrics arguments into a Trainer. The loss and the
 * 'accuracy'-style metric names are resolved at the first batch, from the shapes of y and of
 * the predictions, as Keras's compile_utils does.
 */
import type { Tensor } from '../backend/tensor.js';
import { getCompileLoss } from '../losses/compile_utils.js';
import type { Loss } from '../losses/loss.js';
import { get as getLoss } from '../losses/registry.js';
import { get as getMetric } from '../metrics/registry.js';
import { get as getOptimizer } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { CompiledMetrics } from './compiled_metrics.js';
import type { MetricIdentifier } from '../metrics/registry.js';
import { Trainer, type TrainableModel } from './trainer.js';

export interface CompileOptions {
  /** Name ('adam', 'sgd', 'rmsprop', ...) or instance; Keras's default is 'rmsprop'. */
  optimizer?: string | Optimizer;
  /** Name ('categorical_crossentropy', ...), Loss instance or loss function. */
  loss?: Parameters<typeof getCompileLoss>[0];
  /** Names ('accuracy', 'mae', ...) or Metric instances. */
  metrics?: readonly MetricIdentifier[];
}

export function compileTrainer(model: TrainableModel, options: CompileOptions): Trainer {
  const optimizer = getOptimizer(options.optimizer ?? 'rmsprop');
  // Unknown names fail here, at compile; only the shape-dependent ones wait for the first batch.
  if (!isShapeDependent(options.loss)) getLoss(options.loss);
  for (const metric of options.metrics ?? []) if (!isShapeDependent(metric)) getMetric(metric);
  return new Trainer(model, optimizer, new CompiledLoss(options.loss), new CompiledMetrics(options.metrics ?? []));
}

/** 'accuracy'/'acc' and 'crossentropy'/'ce' mean different things for different label shapes. */
function isShapeDependent(identifier: unknown): boolean {
  return typeof identifier === 'string' && ['accuracy', 'acc', 'crossentropy', 'ce'].includes(identifier.toLowerCase());
}

/** The compiled loss, resolved on first use from the shapes it is applied to. */
export class CompiledLoss {
  private loss: Loss | null = null;

  constructor(private readonly identifier: Parameters<typeof getCompileLoss>[0]) {}

  apply(yTrue: Tensor, yPred: Tensor): Tensor {
    if (!this.loss) {
      this.loss = getCompileLoss(this.identifier, yTrue.shape, yPred.shape);
      if (!this.loss) throw new Error('The model cannot be trained or evaluated because it was compiled without a `loss`.');
    }
    return this.loss.apply(yTrue, yPred);
  }
}
