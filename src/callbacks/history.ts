import { Callback, type Logs } from './callback.js';

/**
 * Callback that records events into a `History` object.
 *
 * Every `fit` adds one; `fit` returns it. Mirrors keras/src/callbacks/history.py.
 *
 * Example:
 *
 * ```ts
 * const history = await model.fit(x, y, {epochs: 10});
 * history.params;               // {verbose: 1, epochs: 10, steps: 1}
 * Object.keys(history.history); // ['loss']
 * ```
 */
export class History extends Callback {
  /** Metric name -> one value per epoch. */
  history: Record<string, number[]> = {};
  /** The indices of the epochs recorded. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (this.history[name] ??= []).push(value);
    // Set after every epoch so the model holds the latest state even if training stops early.
    if (this.model) this.model.history = this;
  }
}
