import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import type { CallbackModel, Logs } from './callback.js';
import { Callback, CallbackList, History, ProgbarLogger } from './index.js';
import { referenceDir } from '../testing/keras_reference.js';
import { maskTimings } from '../testing/fit_logs.js';

// Captures of Keras 3.15.1's fit(epochs=2, 4 steps, validation) and predict(5 steps): see fit_logs.json.
const FIT_LOGS = join(referenceDir(), 'fit_logs');
const CAPTURES = ['verbose1', 'verbose2', 'predict'].flatMap((run) => [`${run}.pipe`, `${run}.tty`]);
const fixture = (name: string): Buffer => readFileSync(join(FIT_LOGS, name));
const fixtureText = (name: string): string => fixture(name).toString('utf8');
const recorded = JSON.parse(fixtureText('fit_logs.json')) as {
  files: Record<string, { history: Record<string, number[]> | null }>;
};

/** A clock the test moves by hand, in seconds; it starts far from 0 like Python's time.time(). */
class FakeClock {
  private time = 1000;
  private origin = 1000;
  readonly now = (): number => this.time;
  /** Starts a phase: later times are offsets from here. */
  restart(): void { this.origin = this.time; }
  at(offset: number): void { this.time = this.origin + offset; }
}

function captureIo(): { clock: FakeClock; output: string[]; logger: ProgbarLogger } {
  const clock = new FakeClock();
  const output: string[] = [];
  return { clock, output, logger: new ProgbarLogger({ now: clock.now, write: (text) => output.push(text) }) };
}

/** A finished bar of the default width 20: all green, an empty white remainder. */
const FULL_BAR = `\x1b[32m${'━'.repeat(20)}\x1b[0m\x1b[37m\x1b[0m`;

/** Running accuracy after each of 4 batches of 8 samples, from the number right in each batch. */
const runningAccuracy = (correct: number[]): number[] =>
  correct.map((_, i) => correct.slice(0, i + 1).reduce((a, b) => a + b) / (8 * (i + 1)));

// The printed first-batch values ('accuracy: 0.1250 - loss: 2.3416'), then values that are never
// drawn, then the epoch's results from fit_logs.json "history" (the last batch's running values).
const TRAIN_LOGS: Logs[][] = [
  { correct: [1, 2, 1, 1], loss: [2.3416, 2.3711, 2.3652, 2.3813469409942627] },
  { correct: [2, 3, 3, 2], loss: [2.0722, 2.0903, 2.0851, 2.0767974853515625] },
].map(({ correct, loss }) => runningAccuracy(correct).map((accuracy, i) => ({ loss: loss[i], accuracy })));
const VAL_LOGS: Logs[] = [
  { loss: 2.4176242351531982, accuracy: 0 },
  { loss: 2.4106767177581787, accuracy: 0 },
];

/** When each training batch ends and when the epoch ends, in seconds from the epoch's start. */
interface EpochTiming { batches: number[]; end: number }

// Chosen to give the captured timings ('21ms/step' at step 1, then '19ms/step' measured from the
// end of step 1), with the same redraws: the pipe run's step 4 came within 0.05 s of step 1, so
// only the final line shows it; the tty run's came later and was drawn.
const FIT_TIMINGS: Record<string, EpochTiming[]> = {
  'verbose1.pipe': [
    { batches: [0.021, 0.03, 0.045, 0.06], end: 0.078 },
    { batches: [0.016, 0.03, 0.04, 0.06], end: 0.07 },
  ],
  'verbose1.tty': [
    { batches: [0.026, 0.04, 0.06, 0.086], end: 0.095 },
    { batches: [0.019, 0.03, 0.05, 0.082], end: 0.091 },
  ],
  // At verbose=2 the bar sees only the epoch's end: the time per step is the epoch's time / 4.
  'verbose2.pipe': [0.1, 0.088].map((end) => ({ batches: [0.02, 0.04, 0.06, 0.08], end })),
  'verbose2.tty': [0.096, 0.088].map((end) => ({ batches: [0.02, 0.04, 0.06, 0.08], end })),
};
const PREDICT_TIMINGS: Record<string, EpochTiming> = {
  'predict.pipe': { batches: [0.009, 0.015, 0.02, 0.025, 0.03], end: 0.033 },
  'predict.tty': { batches: [0.008, 0.015, 0.02, 0.025, 0.03], end: 0.032 },
};

/** Drives the callbacks the way Keras's fit does, with a silent validation pass in each epoch. */
function runFit(verbose: number, timings: EpochTiming[]): { text: string; history: History; model: CallbackModel } {
  const { clock, output, logger } = captureIo();
  const model: CallbackModel = { stopTraining: false };
  const callbacks = new CallbackList([logger], {
    addHistory: true, addProgbar: true, model, params: { verbose, epochs: 2, steps: 4 },
  });
  callbacks.onTrainBegin();
  let epochLogs: Logs = {};
  timings.forEach(({ batches, end }, epoch) => {
    clock.restart();
    callbacks.onEpochBegin(epoch);
    batches.forEach((time, batch) => {
      callbacks.onTrainBatchBegin(batch);
      clock.at(time);
      callbacks.onTrainBatchEnd(batch, TRAIN_LOGS[epoch][batch]);
    });
    callbacks.onTestBegin();
    callbacks.onTestBatchBegin(0);
    callbacks.onTestBatchEnd(0, VAL_LOGS[epoch]);
    callbacks.onTestEnd(VAL_LOGS[epoch]);
    clock.at(end);
    const val = VAL_LOGS[epoch];
    epochLogs = { ...TRAIN_LOGS[epoch][3], val_loss: val.loss, val_accuracy: val.accuracy };
    callbacks.onEpochEnd(epoch, epochLogs);
  });
  callbacks.onTrainEnd(epochLogs);
  const history = callbacks.callbacks.find((callback) => callback instanceof History);
  assert.ok(history instanceof History);
  return { text: output.join(''), history, model };
}

function runPredict({ batches, end }: EpochTiming): string {
  const { clock, output, logger } = captureIo();
  const callbacks = new CallbackList([logger], { addProgbar: true, params: { verbose: 1, epochs: 1, steps: 5 } });
  callbacks.onPredictBegin();
  batches.forEach((time, batch) => {
    callbacks.onPredictBatchBegin(batch);
    clock.at(time);
    callbacks.onPredictBatchEnd(batch);
  });
  clock.at(end);
  callbacks.onPredictEnd();
  return output.join('');
}

/** Compares with the capture byte for byte, and masked with its *.masked.txt. */
function assertMatchesCapture(text: string, capture: string): void {
  const raw = fixture(`${capture}.txt`);
  assert.equal(text, raw.toString('utf8'), capture);
  assert.ok(Buffer.from(text, 'utf8').equals(raw), `${capture}: bytes`);
  assert.equal(maskTimings(text), fixtureText(`${capture}.masked.txt`), `${capture}: masked`);
}

test('the masking helper reproduces every *.masked.txt from its raw capture', () => {
  for (const capture of CAPTURES) {
    assert.equal(maskTimings(fixtureText(`${capture}.txt`)), fixtureText(`${capture}.masked.txt`), capture);
  }
});

for (const capture of Object.keys(FIT_TIMINGS)) {
  test(`fit through CallbackList prints ${capture}.txt exactly`, () => {
    const { text, history, model } = runFit(capture.startsWith('verbose1') ? 1 : 2, FIT_TIMINGS[capture]);
    assertMatchesCapture(text, capture);
    assert.deepEqual(history.history, recorded.files[`${capture}.txt`].history);
    assert.deepEqual(history.epoch, [0, 1]);
    assert.equal(model.history, history);
  });
}

for (const capture of Object.keys(PREDICT_TIMINGS)) {
  test(`predict through CallbackList prints ${capture}.txt exactly`, () => {
    assertMatchesCapture(runPredict(PREDICT_TIMINGS[capture]), capture);
  });
}

test('verbose 0 prints nothing; "auto" means 1; one epoch prints no "Epoch" line', () => {
  const quiet = captureIo();
  quiet.logger.setParams({ verbose: 0, epochs: 2, steps: 1 });
  quiet.logger.onEpochBegin(0);
  quiet.logger.onTrainBatchEnd(0, { loss: 1 });
  quiet.logger.onEpochEnd(0, { loss: 1 });
  assert.deepEqual(quiet.output, []);

  const auto = captureIo();
  auto.logger.setParams({ verbose: 'auto', epochs: 1, steps: 1 });
  auto.logger.onEpochBegin(0);
  auto.logger.onEpochEnd(0, { loss: 0.5 });
  assert.equal(auto.output.join(''), `\r\x1b[1m1/1\x1b[0m ${FULL_BAR} \x1b[1m0s\x1b[0m 0s/step - loss: 0.5000\n`);
});

test('evaluate outside fit draws its own bar, and learns an unknown step count from the data', () => {
  const { clock, output, logger } = captureIo();
  const callbacks = new CallbackList([logger], { params: { verbose: 1, epochs: 1, steps: null } });
  callbacks.onTestBegin();
  clock.at(0.5);
  callbacks.onTestBatchEnd(0, { loss: 0.25 });
  clock.at(1.5);
  callbacks.onTestBatchEnd(1, { loss: 0.5 });
  clock.at(2);
  callbacks.onTestEnd({ loss: 0.5 });
  const first = '      1/Unknown \x1b[1m0s\x1b[0m 500ms/step - loss: 0.2500';
  // Python's round-half-even: 1.5 s elapsed prints as '2s', and 1.5 s per step too. The second
  // line is 3 columns shorter than the first, so spaces cover the rest; the next erase counts 41.
  const second = '      2/Unknown \x1b[1m2s\x1b[0m 1s/step - loss: 0.5000';
  const final = `\x1b[1m2/2\x1b[0m ${FULL_BAR} \x1b[1m2s\x1b[0m 2s/step - loss: 0.5000`;
  assert.equal(output.join(''), `\r${first}${'\b'.repeat(44)}\r${second}   ${'\b'.repeat(41)}\r${final}\n`);
  assert.equal(logger.target, 2);
});

test('CallbackList calls every hook on every callback in order, with sorted copies of the logs', () => {
  const calls: string[] = [];
  const hooks = [
    'onBatchBegin', 'onBatchEnd', 'onEpochBegin', 'onEpochEnd', 'onTrainBatchBegin', 'onTrainBatchEnd',
    'onTestBatchBegin', 'onTestBatchEnd', 'onPredictBatchBegin', 'onPredictBatchEnd', 'onTrainBegin', 'onTrainEnd',
    'onTestBegin', 'onTestEnd', 'onPredictBegin', 'onPredictEnd',
  ] as const;
  class Recorder extends Callback {
    constructor(readonly label: string) {
      super();
      for (const hook of hooks) {
        this[hook] = (...args: unknown[]) => { calls.push(`${label}.${hook}(${JSON.stringify(args)})`); };
      }
    }
  }
  const list = new CallbackList([new Recorder('a'), new Recorder('b')]);
  list.onTrainBegin({ z: 1, a: 2 });
  list.onEpochBegin(3);
  list.onTrainBatchEnd(0, { loss: 1, accuracy: 0.5 });
  assert.deepEqual(calls, [
    'a.onTrainBegin([{"a":2,"z":1}])', 'b.onTrainBegin([{"a":2,"z":1}])',
    'a.onEpochBegin([3,{}])', 'b.onEpochBegin([3,{}])',
    'a.onTrainBatchEnd([0,{"accuracy":0.5,"loss":1}])', 'b.onTrainBatchEnd([0,{"accuracy":0.5,"loss":1}])',
  ]);
  calls.length = 0;
  for (const hook of hooks) {
    const call = list[hook] as (...args: unknown[]) => void;
    call.call(list, ...(hook.includes('Batch') || hook.includes('Epoch') ? [1] : []));
  }
  const called = calls.map((call) => call.slice(0, call.indexOf('(')));
  assert.deepEqual(called, hooks.flatMap((hook) => [`a.${hook}`, `b.${hook}`]));
  assert.throws(() => new CallbackList().onPredictEnd(), /`on_xxx_end` called without corresponding `on_xxx_begin`/);
});

test('the base Callback forwards train batch hooks to the backwards-compatible aliases', () => {
  const seen: string[] = [];
  class Legacy extends Callback {
    override onBatchBegin(batch: number): void { seen.push(`begin ${batch}`); }
    override onBatchEnd(batch: number, logs?: Logs): void { seen.push(`end ${batch} ${logs?.loss}`); }
  }
  const list = new CallbackList([new Legacy()]);
  list.onTrainBatchBegin(4);
  list.onTrainBatchEnd(4, { loss: 2 });
  list.onTestBatchEnd(4, { loss: 3 });
  assert.deepEqual(seen, ['begin 4', 'end 4 2']);
});

test('CallbackList adds History and ProgbarLogger when asked and missing, and passes params and model', () => {
  const params = { verbose: 2, epochs: 3, steps: 7 };
  const model: CallbackModel = { stopTraining: false };
  const plain = new CallbackList();
  assert.equal(plain.callbacks.length, 0);

  const mine = new History();
  const given = [mine];
  const list = new CallbackList(given, { addHistory: true, addProgbar: true, model, params });
  assert.equal(given.length, 1, 'the caller\'s array is not modified');
  assert.equal(list.callbacks.length, 2);
  assert.equal(list.callbacks[0], mine);
  const logger = list.callbacks[1];
  assert.ok(logger instanceof ProgbarLogger);
  assert.equal(model.history, mine);
  for (const callback of list.callbacks) {
    assert.equal(callback.params, params);
    assert.equal(callback.model, model);
  }
  assert.deepEqual([logger.verbose, logger.epochs, logger.target], [2, 3, 7]);

});

test('History records each epoch\'s logs and hands itself to the model', () => {
  const model: CallbackModel = { stopTraining: false };
  const list = new CallbackList([], { addHistory: true, model });
  list.onTrainBegin();
  list.onEpochEnd(0, { loss: 1 });
  list.onEpochEnd(1, { loss: 0.5, accuracy: 1 });
  list.onTrainEnd();
  const history = model.history;
  assert.ok(history instanceof History);
  assert.deepEqual(history.history, { loss: [1, 0.5], accuracy: [1] });
  assert.deepEqual(history.epoch, [0, 1]);
});
