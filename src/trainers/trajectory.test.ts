/**
 * The 3-step Adam trajectory of Keras 3.15.1 (training/m2_nodropout): from the same initial
 * weights, fit() must give the same losses, weights, optimizer slots, predictions and summary.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { Sequential } from '../models/sequential.js';
import { assertClose } from '../testing/assert_close.js';
import { readArray, referenceDir, type ReferenceArray } from '../testing/keras_reference.js';
import { summaryAt } from '../testing/summary_text.js';
import { tutorialLayers } from '../testing/tutorial_models.js';
import { clearSession } from '../utils/clear_session.js';

interface Run {
  dir: string;
  history: { loss: number[] };
  initial_loss_evaluate: number;
  final_loss_evaluate: number;
  weights_after: (ReferenceArray & { path: string })[];
  optimizer_variables_after: (ReferenceArray & { path: string })[];
  predict_after: ReferenceArray;
}

test('fit() follows Keras\'s 3-step Adam trajectory', async () => {
  const root = join(referenceDir(), 'training', 'm2_nodropout');
  const spec = JSON.parse(readFileSync(join(root, 'training.json'), 'utf8'));
  const run: Run = spec.runs.adam;
  const runDir = join(root, run.dir);

  clearSession();
  const model = new Sequential(tutorialLayers('M2', { dropout: false }));
  const initial = spec.weights_initial as (ReferenceArray & { path: string })[];
  assert.deepEqual(model.weights.map((v) => v.path), initial.map((w) => w.path));
  model.setWeights(initial.map((w) => readArray(root, w)));
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const x = readArray(root, spec.x);
  const y = readArray(root, spec.y);

  const before = (await model.evaluate(x, y, { batchSize: 8, verbose: 0 })) as number;
  assert.ok(Math.abs(before - run.initial_loss_evaluate) < 1e-5, `initial loss ${before} vs ${run.initial_loss_evaluate}`);

  const history = await model.fit(x, y, { batchSize: 8, epochs: 3, shuffle: false, verbose: 0 });
  assertClose(history.history.loss, run.history.loss, { atol: 1e-5, rtol: 0 }, 'losses');

  const byPath = new Map(model.weights.map((v) => [v.path, v.value]));
  for (const w of run.weights_after) {
    assertClose(byPath.get(w.path)!.values, readArray(runDir, w).values, { atol: 1e-6, rtol: 1e-4 }, w.path);
  }
  const slots = new Map<string, Tensor>(model.optimizer!.variables.map((v) => [v.path, v.value]));
  for (const v of run.optimizer_variables_after) {
    assert.ok(slots.has(v.path), `optimizer variable ${v.path} missing; have ${[...slots.keys()].join(', ')}`);
    assertClose(slots.get(v.path)!.values, readArray(runDir, v).values, { atol: 1e-7, rtol: 1e-4 }, v.path);
  }

  const predicted = await model.predict(x, { verbose: 0 });
  assertClose(predicted.values, readArray(runDir, run.predict_after).values, { atol: 1e-5, rtol: 0 }, 'predict after fit');
  const after = (await model.evaluate(x, y, { batchSize: 8, verbose: 0 })) as number;
  assert.ok(Math.abs(after - run.final_loss_evaluate) < 1e-5, `final loss ${after} vs ${run.final_loss_evaluate}`);

  assert.equal(summaryAt(model, 200), readFileSync(join(runDir, 'summary_after_fit.txt'), 'utf8'));
});
