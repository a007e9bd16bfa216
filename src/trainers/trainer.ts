/**
 * compile / fit / evaluate / predict. Mirrors keras/src/trainers/trainer.py and the JAX
 * backend's trainer: a training step takes the gradient of the loss with respect to the
 * trainable weights' current values, then the optimizer updates the weights in place.
 */
import { CallbackList } from '../callbacks/callback_list.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { valueAndGrad, noGrad } from '../backend/tape.js';
import { Tensor } from '../backend/tensor.js';
import { inWorkspace } from '../backend/workspace.js';
import type { Layer } from '../layers/layer.js';
import { add, concatenate } from '../ops/numpy.js';
import type { TensorLike } from '../ops/core.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Config } from '../saving/serialization_lib.js';
import {
  batches, checkBatchSize, checkSameLength, datasetBatches, dataTensor, isDataset, rows, tensorBatches, trainValidationSplit,
  type Batches, type Dataset,
} from './data.js';
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
  validationData?: [TensorLike, TensorLike] | Dataset;
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

  /**
   * Trains for `epochs` passes over (x, y), or over a Dataset of [x, y] batches (then without y:
   * `fit(trainDs, {epochs, validationData: valDs})`, as Keras's fit on a tf.data.Dataset).
   */
  async fit(xArg: TensorLike | Dataset, yArg?: TensorLike | FitOptions, fitOptions: FitOptions = {}): Promise<History> {
    const [train, options] = this.fitData(xArg, yArg, fitOptions);
    const { epochs = 1, shuffle = true, initialEpoch = 0 } = options;
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, received ${epochs}`);
    const verbose = options.verbose ?? 'auto';
    const callbacks = new CallbackList(options.callbacks ?? [], {
      addHistory: true, addProgbar: verbose !== 0, model: this.model, params: { verbose, epochs, steps: train.data.steps },
    });
    this.model.stopTraining = false;
    callbacks.onTrainBegin();
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs && !this.model.stopTraining; epoch++) {
      this.metrics.reset();
      callbacks.onEpochBegin(epoch);
      let step = 0;
      for await (const [x, y] of train.data.pass(shuffle)) {
        callbacks.onTrainBatchBegin(step);
        this.trainStep(x, labels('fit', y));
        callbacks.onTrainBatchEnd(step++, this.metrics.results());
      }
      epochLogs = this.metrics.results();
      if (train.validation) {
        const valLogs = await this.evaluateLogs(train.validation, null);
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      callbacks.onEpochEnd(epoch, epochLogs);
      // Let timers, I/O and (in a browser) rendering run between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    callbacks.onTrainEnd(epochLogs);
    return this.model.history!;
  }

  /** fit's arguments checked, as training batches and (optional) validation batches. */
  private fitData(xArg: TensorLike | Dataset, yArg: TensorLike | FitOptions | undefined, fitOptions: FitOptions):
    [{ data: Batches; validation: Batches | null }, FitOptions] {
    const dataset = isDataset(xArg);
    const options = dataset && isOptions(yArg) ? yArg : fitOptions;
    const { validationSplit = 0 } = options;
    const batchSize = checkBatchSize('fit', options.batchSize ?? 32);
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new Error(`fit: validationSplit must be a number in [0, 1), received ${validationSplit}`);
    }
    const validationData = options.validationData;
    let validation = validationData === undefined ? null : isDataset(validationData)
      ? datasetBatches('fit', validationData, undefined)
      : tensorBatches(...pair('fit', 'validationData', validationData[0], validationData[1]), batchSize);
    if (dataset) {
      if (validationSplit > 0) {
        // Keras: array_slicing.py train_validation_split
        throw new Error('`validationSplit` is only supported for Tensors or NumPy arrays, found following types in the ' +
          `input: [${xArg.constructor.name}]`);
      }
      return [{ data: datasetBatches('fit', xArg, isOptions(yArg) ? undefined : yArg), validation }, options];
    }
    let [x, y] = pair('fit', '', xArg, yArg as TensorLike);
    if (!validation && validationSplit > 0) {
      let held: [Tensor, Tensor];
      [[x, y], held] = trainValidationSplit(x, y, validationSplit);
      validation = tensorBatches(...held, batchSize);
    }
    return [{ data: tensorBatches(x, y, batchSize), validation }, options];
  }

  /** The loss (and metrics) on (x, y) or on a Dataset of [x, y] batches. */
  async evaluate(xArg: TensorLike | Dataset, yArg?: TensorLike | EvaluateOptions, evaluateOptions: EvaluateOptions = {}):
    Promise<number | number[] | Logs> {
    const dataset = isDataset(xArg);
    const options = dataset && isOptions(yArg) ? yArg : evaluateOptions;
    const batchSize = checkBatchSize('evaluate', options.batchSize ?? 32);
    const data = dataset ? datasetBatches('evaluate', xArg, isOptions(yArg) ? undefined : yArg)
      : tensorBatches(...pair('evaluate', '', xArg, yArg as TensorLike), batchSize);
    const verbose = options.verbose ?? 'auto';
    const callbacks = new CallbackList(options.callbacks ?? [], {
      addProgbar: verbose !== 0, model: this.model, params: { verbose, epochs: 1, steps: data.steps },
    });
    const logs = await this.evaluateLogs(data, callbacks);
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

  /** One optimizer step; its intermediate tensors live in engine memory until it ends. */
  private trainStep(x: Tensor, y: Tensor): void {
    inWorkspace(() => {
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
    });
  }

  private testStep(x: Tensor, y: Tensor): void {
    inWorkspace(() => {
      const prediction = predictStep(this.model, x);
      this.metrics.update(this.totalLoss(y, prediction), y, prediction, x.shape[0]);
    });
  }

  /** The compiled loss plus the weights' regularization penalties (Keras's compute_loss). */
  private totalLoss(y: Tensor, prediction: Tensor): Tensor {
    return this.model.regularizationLosses().reduce((total, penalty) => add(total, penalty), this.loss.apply(y, prediction));
  }

  private async evaluateLogs(data: Batches, callbacks: CallbackList | null): Promise<Logs> {
    this.metrics.reset();
    callbacks?.onTestBegin();
    let step = 0;
    for await (const [x, y] of data.pass(false)) {
      callbacks?.onTestBatchBegin(step);
      this.testStep(x, labels('evaluate', y));
      callbacks?.onTestBatchEnd(step++, this.metrics.results());
    }
    const logs = this.metrics.results();
    callbacks?.onTestEnd(logs);
    return logs;
  }
}

/** The model's outputs for x (tensors or a Dataset, whose labels are ignored) in batches; needs no compile. */
export async function predict(model: Layer, xArg: TensorLike | Dataset, options: PredictOptions = {}): Promise<Tensor> {
  const batchSize = checkBatchSize('predict', options.batchSize ?? 32);
  const data = isDataset(xArg) ? datasetBatches('predict', xArg, undefined)
    : tensorBatches(dataTensor('predict', 'x', xArg), null, batchSize);
  const verbose = options.verbose ?? 'auto';
  const callbacks = new CallbackList(options.callbacks ?? [], {
    addProgbar: verbose !== 0, params: { verbose, epochs: 1, steps: data.steps },
  });
  callbacks.onPredictBegin();
  const outputs: Tensor[] = [];
  for await (const [x] of data.pass(false)) {
    callbacks.onPredictBatchBegin(outputs.length);
    outputs.push(predictBatch(model, x));
    callbacks.onPredictBatchEnd(outputs.length - 1, {});
  }
  callbacks.onPredictEnd();
  return outputs.length === 1 ? outputs[0] : concatenate(outputs, 0);
}

/**
 * Rows of a predict batch that go through the model together. Inference treats rows
 * independently, so the outputs are the same as for the whole batch at once, while a slice's
 * intermediate tensors (all held until its step ends) take a fraction of the engine memory.
 */
const PREDICT_SLICE = 128;

/** One batch of `predict`, slice by slice, each in a workspace of its own. */
function predictBatch(model: Layer, x: Tensor): Tensor {
  const n = x.shape[0];
  if (n <= PREDICT_SLICE) return inWorkspace(() => predictStep(model, x));
  return concatenate(batches(n, PREDICT_SLICE).map(([start, end]) => inWorkspace(() => predictStep(model, rows(x, start, end)))), 0);
}

/** Inference on one batch, outside any gradient recording. */
export function predictStep(model: Layer, x: Tensor): Tensor {
  return noGrad(() => model.apply(x, { training: false }));
}

/** Options passed in y's place, as in `fit(dataset, {epochs})`. */
function isOptions<T extends object>(y: TensorLike | T | undefined): y is T {
  return typeof y === 'object' && y !== null && !Array.isArray(y) && !(y instanceof Tensor) && !ArrayBuffer.isView(y);
}

/** x and y as tensors with the same number of samples; `prefix` names them in errors (validationData[0]). */
function pair(method: string, prefix: string, x: TensorLike, y: TensorLike): [Tensor, Tensor] {
  const names = prefix ? [`${prefix}[0]`, `${prefix}[1]`] : ['x', 'y'];
  const tensors: [Tensor, Tensor] = [dataTensor(method, names[0], x), dataTensor(method, names[1], y)];
  checkSameLength(method, ...tensors);
  return tensors;
}

/** A batch's labels, which an unlabelled dataset (labelMode null) lacks. */
function labels(method: string, y: Tensor | null): Tensor {
  if (!y) throw new Error(`${method}: the dataset yields images without labels (labelMode: null); it can only be predicted on`);
  return y;
}
