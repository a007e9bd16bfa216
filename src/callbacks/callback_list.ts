import { Callback, type CallbackModel, type CallbackParams, type Logs } from './callback.js';
import { History } from './history.js';
import { ProgbarLogger } from './progbar_logger.js';

/** Options of `CallbackList`. */
export interface CallbackListOptions {
  /** Add a `History` unless the list has one. */
  addHistory?: boolean;
  /** Add a `ProgbarLogger` unless the list has one. */
  addProgbar?: boolean;
  /** The model the callbacks are used with. */
  model?: CallbackModel | null;
  /** Passed to every callback through `setParams`. */
  params?: CallbackParams;
}

type BatchHook =
  | 'onBatchBegin' | 'onBatchEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd'
  | 'onTestBatchBegin' | 'onTestBatchEnd' | 'onPredictBatchBegin' | 'onPredictBatchEnd';
type PhaseHook = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd';

/**
 * Logs as Keras's `python_utils.pythonify_logs` hands them to callbacks: a fresh object with the
 * keys sorted, which is why metrics print as 'accuracy', 'loss', 'val_accuracy', 'val_loss'.
 */
function sortedLogs(logs: Logs = {}): Logs {
  const sorted: Logs = {};
  for (const name of Object.keys(logs).sort()) sorted[name] = logs[name];
  return sorted;
}

/**
 * Container abstracting a list of callbacks: each hook called on the list calls it on every
 * callback, in order. Mirrors keras/src/callbacks/callback_list.py (without its thread pool:
 * hooks run synchronously here).
 *
 * Args:
 *   callbacks: The `Callback` instances.
 *   options: `addHistory`, `addProgbar` (appended at the end unless one is already in the list),
 *     `model` and `params`.
 *
 * Example:
 *
 * ```ts
 * const callbacks = new CallbackList([], {addHistory: true, addProgbar: true, model,
 *                                         params: {verbose: 1, epochs: 2, steps: 4}});
 * callbacks.onTrainBegin();
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   callbacks.onEpochBegin(epoch);
 *   for (let batch = 0; batch < 4; batch++) {
 *     callbacks.onTrainBatchBegin(batch);
 *     callbacks.onTrainBatchEnd(batch, trainStep(batch));
 *   }
 *   callbacks.onEpochEnd(epoch, epochLogs);
 * }
 * callbacks.onTrainEnd(epochLogs);
 * ```
 */
export class CallbackList extends Callback {
  readonly callbacks: Callback[];
  private history: History | null = null;
  private progbar: ProgbarLogger | null = null;
  /** Open train/test/predict phases (validation nests inside training). */
  private openPhases = 0;

  constructor(callbacks: Callback[] = [], options: CallbackListOptions = {}) {
    super();
    this.callbacks = [...callbacks];
    this.addDefaultCallbacks(options.addHistory ?? false, options.addProgbar ?? false);
    if (options.model) this.setModel(options.model);
    if (options.params) this.setParams(options.params);
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    for (const callback of this.callbacks) callback.setParams(params);
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    if (this.history) model.history = this.history;
    for (const callback of this.callbacks) callback.setModel(model);
  }

  override onBatchBegin(batch: number, logs?: Logs): void { this.callBatchHook('onBatchBegin', batch, logs); }
  override onBatchEnd(batch: number, logs?: Logs): void { this.callBatchHook('onBatchEnd', batch, logs); }
  override onTrainBatchBegin(batch: number, logs?: Logs): void { this.callBatchHook('onTrainBatchBegin', batch, logs); }
  override onTrainBatchEnd(batch: number, logs?: Logs): void { this.callBatchHook('onTrainBatchEnd', batch, logs); }
  override onTestBatchBegin(batch: number, logs?: Logs): void { this.callBatchHook('onTestBatchBegin', batch, logs); }
  override onTestBatchEnd(batch: number, logs?: Logs): void { this.callBatchHook('onTestBatchEnd', batch, logs); }
  override onPredictBatchBegin(batch: number, logs?: Logs): void {
    this.callBatchHook('onPredictBatchBegin', batch, logs);
  }
  override onPredictBatchEnd(batch: number, logs?: Logs): void { this.callBatchHook('onPredictBatchEnd', batch, logs); }

  override onEpochBegin(epoch: number, logs?: Logs): void {
    const sorted = sortedLogs(logs);
    for (const callback of this.callbacks) callback.onEpochBegin(epoch, sorted);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const sorted = sortedLogs(logs);
    for (const callback of this.callbacks) callback.onEpochEnd(epoch, sorted);
  }

  override onTrainBegin(logs?: Logs): void { this.beginPhase('onTrainBegin', logs); }
  override onTrainEnd(logs?: Logs): void { this.endPhase('onTrainEnd', logs); }
  override onTestBegin(logs?: Logs): void { this.beginPhase('onTestBegin', logs); }
  override onTestEnd(logs?: Logs): void { this.endPhase('onTestEnd', logs); }
  override onPredictBegin(logs?: Logs): void { this.beginPhase('onPredictBegin', logs); }
  override onPredictEnd(logs?: Logs): void { this.endPhase('onPredictEnd', logs); }

  private addDefaultCallbacks(addHistory: boolean, addProgbar: boolean): void {
    for (const callback of this.callbacks) {
      if (callback instanceof ProgbarLogger) this.progbar = callback;
      else if (callback instanceof History) this.history = callback;
    }
    if (this.history === null && addHistory) {
      this.history = new History();
      this.callbacks.push(this.history);
    }
    if (this.progbar === null && addProgbar) {
      this.progbar = new ProgbarLogger();
      this.callbacks.push(this.progbar);
    }
  }

  private callBatchHook(hook: BatchHook, batch: number, logs?: Logs): void {
    const sorted = sortedLogs(logs);
    for (const callback of this.callbacks) callback[hook](batch, sorted);
  }

  private callPhaseHook(hook: PhaseHook, logs?: Logs): void {
    const sorted = sortedLogs(logs);
    for (const callback of this.callbacks) callback[hook](sorted);
  }

  private beginPhase(hook: PhaseHook, logs?: Logs): void {
    this.openPhases += 1;
    this.callPhaseHook(hook, logs);
  }

  private endPhase(hook: PhaseHook, logs?: Logs): void {
    this.callPhaseHook(hook, logs);
    this.openPhases -= 1;
    if (this.openPhases < 0) throw new Error('`on_xxx_end` called without corresponding `on_xxx_begin`');
  }
}
