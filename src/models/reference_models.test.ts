/**
 * Models M1 and M2 (the tutorial CNNs) rebuilt in TypeScript against Keras 3.15.1's outputs:
 * summary() byte for byte, and predict() with the reference weights.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { Tensor } from '../backend/tensor.js';
import { assertClose } from '../testing/assert_close.js';
import { readArray, referenceDir } from '../testing/keras_reference.js';
import { summaryAt } from '../testing/summary_text.js';
import { tutorialLayers } from '../testing/tutorial_models.js';
import { clearSession } from '../utils/clear_session.js';
import { Sequential } from './sequential.js';

/** M1 or M2, with layer names counted from a fresh session as in the Keras captures. */
function build(name: 'M1' | 'M2'): Sequential {
  clearSession();
  return new Sequential(tutorialLayers(name));
}

for (const id of ['M1', 'M2'] as const) {
  const dir = join(referenceDir(), 'models', id);
  const expected = (file: string): string => readFileSync(join(dir, file), 'utf8');

  test(`${id}: summary() is byte-identical to Keras's on wide and 80-column terminals`, () => {
    const model = build(id);
    assert.equal(summaryAt(model, 200), expected('summary.txt'));
    assert.equal(summaryAt(model, 80), expected('summary.cols80.txt'));
    assert.equal(summaryAt(model, 200, { showTrainable: true }), expected('summary.show_trainable.txt'));
  });

  test(`${id}: predict() with Keras's weights matches Keras's outputs within 1e-5`, async () => {
    const model = build(id);
    await model.loadWeights(join(dir, 'model.weights.h5'));
    const io = JSON.parse(expected('io.json'));
    const input = readArray(dir, io.input);
    const output = readArray(dir, io.output);
    const predicted = await model.predict(input, { verbose: 0 });
    assert.deepEqual(predicted.shape, output.shape);
    assertClose(predicted.values, output.values, { atol: 1e-5, rtol: 0 }, `${id} predict`);
    assert.equal(model.countParams(), io.params.total);
    assert.equal(model.trainableWeights.reduce((n, v) => n + v.value.size, 0), io.params.trainable);
  });
}

test('weight paths follow Keras: sequential/conv2d/kernel', () => {
  const model = build('M1');
  assert.deepEqual(model.weights.slice(0, 2).map((v) => v.path), ['sequential/conv2d/kernel', 'sequential/conv2d/bias']);
  assert.ok(model.weights.every((v) => v.value instanceof Tensor));
});
