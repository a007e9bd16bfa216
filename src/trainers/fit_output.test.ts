/**
 * What a real fit() prints, against Keras's capture (fit_logs/): the fixture's run (M2 with
 * Dropout, 40 images, batch 8, validationSplit 0.2, 2 epochs, no shuffle) through the real
 * trainer and ProgbarLogger. Timings are masked as in *.masked.txt, and so are the metric values:
 * those came from torch's random initialisation, which no other library reproduces.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import * as keras from '../index.js';
import { maskTimings } from '../testing/fit_logs.js';
import { referenceDir } from '../testing/keras_reference.js';
import { tutorialLayers } from '../testing/tutorial_models.js';

/** Metric values, in either of Keras's formats ('0.1250', '0.0000e+00'), become '<N>'. */
const maskValues = (text: string): string => text.replace(/: -?\d+\.\d+(?:e[+-]\d+)?/g, ': <N>');

/**
 * Keras redraws a dynamic display only when 0.05 s have passed since the last redraw (only the
 * epoch's final line is forced), so which steps get an intermediate redraw depends on the
 * machine's speed; the capture shows just step 1. Intermediate redraws after step 1, which end in
 * backspaces rather than a newline, are dropped before comparing.
 */
const dropIntermediate = (text: string): string =>
  text.split('\r').filter((piece) => !/^\x1b\[1m[234]\/4\x1b\[0m[^\n]*<BS>$/.test(piece)).join('\r');

/** The text written to stdout while `run` runs. node's test runner talks to its parent through
 *  stdout too, in binary chunks: those are passed through. */
async function capture(run: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    text += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

test('fit(verbose 1) and fit(verbose 2) print what Keras prints, values and timings masked', async () => {
  keras.utils.setRandomSeed(12);
  const x = keras.random.uniform([40, 28, 28, 1]);
  const y = keras.tensor(new Int32Array(40).map((_, i) => i % 10), [40], 'int32');
  for (const verbose of [1, 2] as const) {
    keras.utils.clearSession();
    const model = new keras.Sequential(tutorialLayers('M2'));
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const printed = await capture(() => model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, shuffle: false, verbose }));
    const expected = readFileSync(join(referenceDir(), 'fit_logs', `verbose${verbose}.pipe.masked.txt`), 'utf8');
    assert.equal(maskValues(dropIntermediate(maskTimings(printed))), maskValues(expected), `verbose ${verbose}`);
  }
});
