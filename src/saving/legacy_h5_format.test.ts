/**
 * Legacy `.h5` weights as keras.applications publishes them: loaded by position, by layer name
 * (`byName`) into a model whose layers come in another order, and past shape mismatches
 * (`skipMismatch`), following keras/src/legacy/saving/legacy_h5_format.py.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { mock } from 'node:test';
import * as layers from '../layers/index.js';
import { Model } from '../models/model.js';
import { clearSession } from '../utils/clear_session.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-legacy-h5-'));

/** Two Dense branches on one input, concatenated in `order`, which is also the order of the model's layers. */
function branches(order: ['x' | 'y', 'x' | 'y'], units: { x: number; y: number }): Model {
  const inputs = layers.Input({ shape: [4] });
  const outputs: Record<string, ReturnType<layers.Dense['apply']>> = {};
  for (const name of order) outputs[name] = new layers.Dense(units[name], { name }).apply(inputs);
  return new Model({ inputs, outputs: new layers.Concatenate().apply(order.map((name) => outputs[name])) });
}

async function savedBranches(): Promise<{ saved: Model; path: string }> {
  clearSession();
  const saved = branches(['x', 'y'], { x: 3, y: 5 });
  const path = join(work, `branches.h5`);
  await saved.save(path);
  return { saved, path };
}

const values = (model: Model, layer: string): number[][] => model.getLayer(layer).weights.map((v) => Array.from(v.value.values));

test('byName loads legacy weights into a model whose layers come in another order', async () => {
  const { saved, path } = await savedBranches();
  const reordered = branches(['y', 'x'], { x: 3, y: 5 });
  assert.deepEqual(reordered.layers.map((l) => l.name).slice(1, 3), ['y', 'x']);
  await assert.rejects(reordered.loadWeights(path),
    new RegExp(String.raw`branches\.h5: layer #0 \(named y in the current model, x in the save file\): ` +
      String.raw`shape mismatch for weight y/kernel\. Weight expects shape \(4, 5\)\. Received saved weight with shape \(4, 3\)`));
  await reordered.loadWeights(path, { byName: true });
  for (const name of ['x', 'y']) assert.deepEqual(values(reordered, name), values(saved, name), name);
});

test('skipMismatch skips a layer whose shapes differ, with a warning; else the error names the layer and both shapes', async () => {
  const { saved, path } = await savedBranches();
  const wider = branches(['x', 'y'], { x: 3, y: 6 });
  const before = wider.getWeights();
  await assert.rejects(wider.loadWeights(path, { byName: true }),
    new RegExp(String.raw`branches\.h5: layer #2 \(named y\): shape mismatch for weight y/kernel\. ` +
      String.raw`Weight expects shape \(4, 6\)\. Received saved weight with shape \(4, 5\)`));
  wider.getWeights().forEach((w, i) => assert.deepEqual(w.values, before[i].values, 'nothing was half-loaded'));
  const warn = mock.method(console, 'warn', () => undefined);
  try {
    await wider.loadWeights(path, { byName: true, skipMismatch: true });
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0].arguments[0]),
      /Skipping loading weights for layer #2 \(named y\): .*Weight expects shape \(4, 6\)/);
  } finally {
    warn.mock.restore();
  }
  assert.deepEqual(values(wider, 'x'), values(saved, 'x'));
  assert.deepEqual(values(wider, 'y'), before.slice(2).map((t) => Array.from(t.values)));
});
