/**
 * compile(): turns the optimizer, loss and metrics arguments into a Trainer. The loss and the
 * 'accuracy'-style metric names are resolved at the first batch, from the shapes of y and of
 * the predictions, as Keras's compile_utils does.
 */
import type { Tensor } from '../backend/tensor.js';
import { getCompileLoss } from '../losses/compile_utils.js';
import { Loss } from '../losses/loss.js';
import { serialize as serializeLoss } from '../losses/registry.js';
import { Metric } from '../metrics/metric.js';
import { serialize as serializeMetric } from '../metrics/registry.js';
import { serialize as serializeOptimizer } from '../optimizers/index.js';
import type { Config } from '../saving/serialization_lib.js';
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
  return new Trainer(model, optimizer, new CompiledLoss(options.loss), new CompiledMetrics(options.metrics ?? []),
    compileConfig(optimizer, options));
}

/**
 * The compile arguments as Keras saves them in a .keras file (trainer.py's _compile_config):
 * names stay names, objects are serialized; the options Keras has and we do not take are at
 * their defaults (jit_compile is false on every backend but JAX/TensorFlow).
 */
function compileConfig(optimizer: Optimizer, options: CompileOptions): Config {
  const loss = options.loss;
  return {
    optimizer: serializeOptimizer(optimizer),
    loss: loss instanceof Loss ? serializeLoss(loss) : typeof loss === 'string' ? loss : null,
    loss_weights: null,
    metrics: options.metrics ? options.metrics.map((m) => (m instanceof Metric ? serializeMetric(m) : m)) : null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
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
