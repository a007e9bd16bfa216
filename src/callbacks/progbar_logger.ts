import { Progbar, writeToStdout, type ProgbarOptions } from '../utils/progbar.js';
import { Callback, type CallbackParams, type Logs } from './callback.js';

/** Where a `ProgbarLogger` takes the time from and writes to (tests pass fakes). */
export type ProgbarLoggerOptions = Pick<ProgbarOptions, 'now' | 'write'>;

/**
 * Callback that prints metrics to stdout.
 *
 * At verbose=1 a bar per epoch (or per `evaluate`/`predict`) is redrawn after each batch; at
 * verbose=2 one line is printed per epoch. Inside `fit` the validation pass stays silent and its
 * results appear at the end of the epoch's line. Mirrors keras/src/callbacks/progbar_logger.py.
 *
 * Args:
 *   options: `now` (clock, in seconds) and `write` (text sink), for tests; default to the
 *     performance clock and `process.stdout`.
 */
export class ProgbarLogger extends Callback {
  /** Batches done in the current epoch or pass. */
  seen = 0;
  progbar: Progbar | null = null;
  target: number | null = null;
  verbose = 1;
  epochs = 1;
  private calledInFit = false;
  private readonly now: (() => number) | undefined;
  private readonly write: (text: string) => void;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.now = options.now;
    this.write = options.write ?? writeToStdout;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    this.verbose = params.verbose === 'auto' ? 1 : params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onTestBegin(): void {
    if (this.calledInFit) return;
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onPredictBegin(): void {
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onEpochBegin(epoch: number): void {
    this.resetProgbar();
    this.maybeInitProgbar();
    if (this.verbose && this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.updateProgbar(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateProgbar(batch, logs);
  }

  override onPredictBatchEnd(batch: number): void {
    // Prediction results are not metrics: show the progress only.
    this.updateProgbar(batch);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (!this.calledInFit) this.finalizeProgbar(logs);
  }

  override onPredictEnd(logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  private resetProgbar(): void {
    this.seen = 0;
    this.progbar = null;
  }

  private maybeInitProgbar(): Progbar {
    // The logs already hold running averages (the metrics' own state): display them as given.
    this.progbar ??= new Progbar(this.target, {
      verbose: this.verbose, unitName: 'step', statelessMetrics: [], now: this.now, write: this.write,
    });
    return this.progbar;
  }

  private updateProgbar(batch: number, logs: Logs = {}): void {
    const progbar = this.maybeInitProgbar();
    this.seen = batch + 1; // One-indexed.
    if (this.verbose === 1) progbar.update(this.seen, Object.entries(logs), false);
  }

  private finalizeProgbar(logs: Logs = {}): void {
    const progbar = this.maybeInitProgbar();
    // With no known step count, the first epoch learns it by running out of data.
    if (this.target === null) {
      this.target = this.seen;
      progbar.target = this.target;
    }
    progbar.update(this.target, Object.entries(logs), true);
  }
}
