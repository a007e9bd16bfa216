import type { History } from './history.js';

/** Metric results passed to the hooks, e.g. `{accuracy: 0.7, loss: 0.2}`. */
export type Logs = Record<string, number>;

/** What `fit`, `evaluate` and `predict` tell their callbacks (Keras: `{'verbose', 'epochs', 'steps'}`). */
export interface CallbackParams {
  /** 0, 1, 2 or 'auto' (which means 1). */
  verbose: number | 'auto';
  epochs: number;
  /** Steps per epoch, `null` when unknown until the data runs out. */
  steps: number | null;
  [key: string]: unknown;
}

/** The part of a model that callbacks use; the Model class satisfies it structurally. */
export interface CallbackModel {
  /** Set it to stop `fit` after the current epoch (EarlyStopping, TerminateOnNaN). */
  stopTraining: boolean;
  /** The `History` of the latest `fit`, set by `CallbackList` and `History`. */
  history?: History;
}

/**
 * Base class used to build new callbacks.
 *
 * Callbacks can be passed to `fit()`, `evaluate()` and `predict()` to hook into the stages of
 * training, evaluation and inference. Subclass `Callback` and override the hooks of interest;
 * every hook does nothing by default. Mirrors keras/src/callbacks/callback.py.
 *
 * Attributes:
 *   params: Training parameters (verbosity, number of epochs, steps per epoch).
 *   model: The model being trained.
 *
 * The `logs` passed to the hooks hold the quantities relevant to the current batch or epoch.
 *
 * Example:
 *
 * ```ts
 * class StopAtLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs = {}): void {
 *     if (logs.loss < 0.1) this.model!.stopTraining = true;
 *   }
 * }
 * ```
 */
export class Callback {
  params: CallbackParams | null = null;
  private callbackModel: CallbackModel | null = null;

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  setModel(model: CallbackModel): void {
    this.callbackModel = model;
  }

  get model(): CallbackModel | null {
    return this.callbackModel;
  }

  /** A backwards compatibility alias for `onTrainBatchBegin`. */
  onBatchBegin(_batch: number, _logs?: Logs): void {}

  /** A backwards compatibility alias for `onTrainBatchEnd`. */
  onBatchEnd(_batch: number, _logs?: Logs): void {}

  /** Called at the start of an epoch, in `fit` only. `logs` is currently empty. */
  onEpochBegin(_epoch: number, _logs?: Logs): void {}

  /**
   * Called at the end of an epoch, in `fit` only. `logs` holds the epoch's metric results and,
   * when validating, the validation results prefixed with `val_`.
   */
  onEpochEnd(_epoch: number, _logs?: Logs): void {}

  /** Called at the start of a training batch in `fit`. `logs` is currently empty. */
  onTrainBatchBegin(batch: number, logs?: Logs): void {
    this.onBatchBegin(batch, logs);
  }

  /** Called at the end of a training batch in `fit`. `logs` holds the metric results so far. */
  onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.onBatchEnd(batch, logs);
  }

  /** Called at the start of a batch in `evaluate`, and of a validation batch in `fit`. */
  onTestBatchBegin(_batch: number, _logs?: Logs): void {}

  /** Called at the end of a batch in `evaluate`, and of a validation batch in `fit`. */
  onTestBatchEnd(_batch: number, _logs?: Logs): void {}

  /** Called at the start of a batch in `predict`. */
  onPredictBatchBegin(_batch: number, _logs?: Logs): void {}

  /** Called at the end of a batch in `predict`. */
  onPredictBatchEnd(_batch: number, _logs?: Logs): void {}

  /** Called at the start of training. */
  onTrainBegin(_logs?: Logs): void {}

  /** Called at the end of training; `logs` is currently the last epoch's. */
  onTrainEnd(_logs?: Logs): void {}

  /** Called at the start of evaluation or validation. */
  onTestBegin(_logs?: Logs): void {}

  /** Called at the end of evaluation or validation; `logs` is currently the last batch's. */
  onTestEnd(_logs?: Logs): void {}

  /** Called at the start of prediction. */
  onPredictBegin(_logs?: Logs): void {}

  /** Called at the end of prediction. */
  onPredictEnd(_logs?: Logs): void {}
}
