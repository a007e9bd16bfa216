/**
 * compile / fit / evaluate / predict. Mirrors keras/src/trainers/trainer.py and the JAX
 * backend's trainer: a training step takes the gradient of the loss with respect to the
 * trainable weights' current values, then the optimizer updates the weights in place.
 */
import { CallbackList } from '../callbacks/callback_list.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { valueAndGrad, noGrad } from '../backend/tape.js';
import type { Tensor } from '../backend/tensor.js';
import type { Layer } from '../layers/layer.js';
import { add, concatenate } from '../ops/numpy.js';
import type { TensorLike } from '../ops/core.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Config } from '../saving/serialization_lib.js';
import { mulberry32 } from '../random/mulberry32.js';
import { drawSeed } from '../random/seed_generator.js';
import { batches, checkBatchSize, checkSameLength, dataTensor, gather, rows, trainValidationSplit } from './data.js';
import type { CompiledMetrics } from './compiled_metrics.js';
import type { CompiledLoss } from './compile.js';

export type Verbose = 0 | 1 | 2 | 'auto';

export interface FitOptions {
  /** Keras default 32. */
  batchSize?: number;
  epochs?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
  /** Fraction of the data, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  validationData?: [TensorLike, TensorLike];
  shuffle?: boolean;
  initialEpoch?: number;
}

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
  /** Return `{loss, accuracy, ...}` instead of a number or a list. */
  returnDict?: boolean;
}

export interface PredictOptions {
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
}

/** The model a trainer drives: a layer that also holds the callback state Keras keeps on models. */
export interface TrainableModel extends Layer {
  stopTraining: boolean;
  history?: History;
}

export class Trainer {
  readonly metrics: CompiledMetrics;

  constructor(
    private readonly model: TrainableModel,
    readonly optimizer: Optimizer,
    readonly loss: CompiledLoss,
    metrics: CompiledMetrics,
    /** The compile arguments in Keras's saved form (see compile.ts). */
    readonly compileConfig: Config,
  ) {
    this.metrics = metrics;
  }

  async fit(xArg: TensorLike, yArg: TensorLike, options: FitOptions = {}): Promise<History> {
    const { epochs = 1, shuffle = true, initialEpoch = 0, validationSplit = 0 } = options;
    const batchSize = checkBatchSize('fit', options.batchSize ?? 32);
    let x = dataTensor('fit', 'x', xArg);
    let y = dataTensor('fit', 'y', yArg);
    checkSameLength('fit', x, y);
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, received ${epochs}`);
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new Error(`fit: validationSplit must be a number in [0, 1), received ${validationSplit}`);
    }
    let validation: [Tensor, Tensor] | null = null;
    if (options.validationData) {
      validation = [dataTensor('fit', 'validationData[0]', options.validationData[0]), dataTensor('fit', 'validationData[1]', options.validationData[1])];
      checkSameLength('fit', ...validation);
    } else if (validationSplit > 0) {
      [[x, y], validation] = trainValidationSplit(x, y, validationSplit);
    }
    const steps = batches(x.shape[0], batchSize);
    const verbose = options.verbose ?? 'auto';
    const callbacks = new CallbackList(options.callbacks ?? [], {
      addHistory: true, addProgbar: verbose !== 0, model: this.model, params: { verbose, epochs, steps: steps.length },
    });
    this.model.stopTraining = false;
    callbacks.onTrainBegin();
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs && !this.model.stopTraining; epoch++) {
      this.metrics.reset();
      callbacks.onEpochBegin(epoch);
      const order = shuffle ? permutation(x.shape[0]) : null;
      for (let step = 0; step < steps.length; step++) {
        const [start, end] = steps[step];
        callbacks.onTrainBatchBegin(step);
        const xb = order ? gather(x, order.subarray(start, end)) : rows(x, start, end);
        const yb = order ? gather(y, order.subarray(start, end)) : rows(y, start, end);
        this.trainStep(xb, yb);
        callbacks.onTrainBatchEnd(step, this.metrics.results());
      }
      epochLogs = this.metrics.results();
      if (validation) {
        const valLogs = this.evaluateLogs(validation[0], validation[1], batchSize, null);
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      // Let timers, I/O and (in a browser) rendering run between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    callbacks.onTrainEnd(epochLogs);
    return this.model.history!;
  }

  async evaluate(xArg: TensorLike, yArg: TensorLike, options: EvaluateOptions = {}): Promise<number | number[] | Logs> {
    const x = dataTensor('evaluate', 'x', xArg);
    const y = dataTensor('evaluate', 'y', yArg);
    checkSameLength('evaluate', x, y);
    const batchSize = checkBatchSize('evaluate', options.batchSize ?? 32);
    const verbose = options.verbose ?? 'auto';
    const callbacks = new CallbackList(options.callbacks ?? [], {
      addProgbar: verbose !== 0, model: this.model, params: { verbose, epochs: 1, steps: batches(x.shape[0], batchSize).length },
    });
    const logs = this.evaluateLogs(x, y, batchSize, callbacks);
    if (options.returnDict) return logs;
    const values = this.metrics.names().map((name) => logs[name]);
    return values.length === 1 ? values[0] : values;
  }

  /** One optimizer step on one batch; returns the running metrics (Keras's train_on_batch). */
  trainOnBatch(x: TensorLike, y: TensorLike): Logs {
    this.trainStep(dataTensor('trainOnBatch', 'x', x), dataTensor('trainOnBatch', 'y', y));
    return this.metrics.results();
  }

  testOnBatch(x: TensorLike, y: TensorLike): Logs {
    this.testStep(dataTensor('testOnBatch', 'x', x), dataTensor('testOnBatch', 'y', y));
    return this.metrics.results();
  }

  private trainStep(x: Tensor, y: Tensor): void {
    const variables = this.model.trainableWeights;
    let prediction: Tensor | null = null;
    // The layers read each variable's current value tensor, so differentiating with respect
    // to those very tensors gives the weight gradients.
    const lossAndGrads = valueAndGrad(() => {
      prediction = this.model.apply(x, { training: true });
      return this.totalLoss(y, prediction);
    }, variables.map((_, i) => i));
    const { value, grads } = lossAndGrads(...variables.map((v) => v.value));
    noGrad(() => this.optimizer.apply(grads, variables));
    this.metrics.update(value, y, prediction!, x.shape[0]);
  }

  private testStep(x: Tensor, y: Tensor): void {
    const prediction = predictStep(this.model, x);
    this.metrics.update(this.totalLoss(y, prediction), y, prediction, x.shape[0]);
  }

  /** The compiled loss plus the weights' regularization penalties (Keras's compute_loss). */
  private totalLoss(y: Tensor, prediction: Tensor): Tensor {
    return this.model.regularizationLosses().reduce((total, penalty) => add(total, penalty), this.loss.apply(y, prediction));
  }

  private evaluateLogs(x: Tensor, y: Tensor, batchSize: number, callbacks: CallbackList | null): Logs {
    const steps = batches(x.shape[0], batchSize);
    this.metrics.reset();
    callbacks?.onTestBegin();
    steps.forEach(([start, end], step) => {
      callbacks?.onTestBatchBegin(step);
      this.testStep(rows(x, start, end), rows(y, start, end));
      callbacks?.onTestBatchEnd(step, this.metrics.results());
    });
    const logs = this.metrics.results();
    callbacks?.onTestEnd(logs);
    return logs;
  }
}

/** The model's outputs for x in batches (Keras's predict); needs no compile. */
export async function predict(model: Layer, xArg: TensorLike, options: PredictOptions = {}): Promise<Tensor> {
  const x = dataTensor('predict', 'x', xArg);
  const batchSize = checkBatchSize('predict', options.batchSize ?? 32);
  const steps = batches(x.shape[0], batchSize);
  const verbose = options.verbose ?? 'auto';
  const callbacks = new CallbackList(options.callbacks ?? [], {
    addProgbar: verbose !== 0, params: { verbose, epochs: 1, steps: steps.length },
  });
  callbacks.onPredictBegin();
  const outputs = steps.map(([start, end], step) => {
    callbacks.onPredictBatchBegin(step);
    const out = predictStep(model, rows(x, start, end));
    callbacks.onPredictBatchEnd(step, {});
    return out;
  });
  callbacks.onPredictEnd();
  return outputs.length === 1 ? outputs[0] : concatenate(outputs, 0);
}

/** Inference on one batch, outside any gradient recording. */
export function predictStep(model: Layer, x: Tensor): Tensor {
  return noGrad(() => model.apply(x, { training: false }));
}

/** A uniformly random order of n samples (Fisher-Yates), drawn from keras's seed stream. */
function permutation(n: number): Int32Array {
  const next = mulberry32(drawSeed('fit'));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
