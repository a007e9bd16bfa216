/**
 * Models M1 and M2 (the tutorial CNNs) rebuilt in TypeScript against Keras 3.15.1's outputs:
 * summary() byte for byte, and predict() with the reference weights.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { Tensor } from '../backend/tensor.js';
import * as layers from '../layers/index.js';
import { Input } from '../layers/core/input_layer.js';
import { assertClose } from '../testing/assert_close.js';
import { readArray, referenceDir } from '../testing/keras_reference.js';
import { summaryAt } from '../testing/summary_text.js';
import { readLayerWeights } from '../testing/weights_h5.js';
import { clearSession } from '../utils/clear_session.js';
import { Sequential } from './sequential.js';

/** M1: tutorial 001's CNN. */
function buildM1(): Sequential {
  clearSession();
  return new Sequential([
    Input({ shape: [28, 28, 1] }),
    new layers.Conv2D(32, [3, 3], { activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Flatten(),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
}

/** M2: tutorial 002's CNN, declaring its input through inputShape as the tutorial does. */
function buildM2(): Sequential {
  clearSession();
  return new Sequential([
    new layers.Conv2D(32, [5, 5], { inputShape: [28, 28, 1], activation: 'relu' }),
    new layers.MaxPooling2D(),
    new layers.Dropout(0.2),
    new layers.Flatten(),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
}

const MODELS = { M1: buildM1, M2: buildM2 };

for (const [id, build] of Object.entries(MODELS)) {
  const dir = join(referenceDir(), 'models', id);
  const expected = (file: string): string => readFileSync(join(dir, file), 'utf8');

  test(`${id}: summary() is byte-identical to Keras's on wide and 80-column terminals`, () => {
    const model = build();
    assert.equal(summaryAt(model, 200), expected('summary.txt'));
    assert.equal(summaryAt(model, 80), expected('summary.cols80.txt'));
    assert.equal(summaryAt(model, 200, { showTrainable: true }), expected('summary.show_trainable.txt'));
  });

  test(`${id}: predict() with Keras's weights matches Keras's outputs within 1e-5`, async () => {
    const model = build();
    const weights = await readLayerWeights(join(dir, 'model.weights.h5'));
    for (const layer of model.layers) {
      if (layer.weights.length) layer.setWeights(weights.get(layer.name)!);
    }
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
  const model = buildM1();
  assert.deepEqual(model.weights.slice(0, 2).map((v) => v.path), ['sequential/conv2d/kernel', 'sequential/conv2d/bias']);
  assert.ok(model.weights.every((v) => v.value instanceof Tensor));
});
