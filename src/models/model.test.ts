/** The functional API (branches, merges) and Sequential's add/pop/deferred build. */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';
import { summaryAt } from '../testing/summary_text.js';

const { layers } = keras;

function branchyModel(): keras.Model {
  keras.utils.clearSession();
  const inputs = keras.Input({ shape: [8, 8, 3] });
  const a = new layers.Conv2D(4, 3, { padding: 'same', activation: 'relu' }).apply(inputs);
  const b = new layers.Conv2D(4, 1).apply(inputs);
  const merged = new layers.Add().apply([a, b]);
  const pooled = new layers.GlobalAveragePooling2D().apply(merged);
  const side = new layers.Flatten().apply(new layers.MaxPooling2D(4).apply(inputs));
  const joined = new layers.Concatenate().apply([pooled, side]);
  const outputs = new layers.Dense(3, { activation: 'softmax' }).apply(joined);
  return new keras.Model({ inputs, outputs, name: 'branchy' });
}

test('functional model with branches and merges: graph, shapes, layers, weights', async () => {
  const model = branchyModel();
  assert.equal(model.name, 'branchy');
  assert.deepEqual(model.input.shape, [null, 8, 8, 3]);
  assert.deepEqual(model.output.shape, [null, 3]);
  // Keras's order: by depth from the output, deepest first, ties in discovery order from the output.
  assert.deepEqual(model.layers.map((l) => l.name), [
    'input_layer', 'conv2d', 'conv2d_1', 'add', 'max_pooling2d', 'global_average_pooling2d', 'flatten', 'concatenate', 'dense',
  ]);
  assert.equal(model.getLayer('dense').className, 'Dense');
  // conv2d 3*3*3*4+4, conv2d_1 3*4+4, dense (4 + 2*2*3)*3+3
  assert.equal(model.countParams(), 112 + 16 + 51);
  assert.equal(model.weights.length, 6);
  const x = keras.random.normal([5, 8, 8, 3], { seed: 3 });
  const y = await model.predict(x, { verbose: 0 });
  assert.deepEqual(y.shape, [5, 3]);
  const rows = y.sum(1).dataSync();
  rows.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
  // The eager call and the batched predict agree.
  assert.deepEqual(model.apply(x).dataSync(), y.dataSync());
});

test('functional summary gets the "Connected to" column', () => {
  const text = summaryAt(branchyModel(), 200);
  const lines = text.split('\n');
  assert.equal(lines[0], 'Model: "branchy"');
  assert.ok(lines[2].includes('Connected to'), lines[2]);
  assert.equal(lines[1].length, 108);
  // The Add row lists both inputs, wrapped onto two lines as rich wraps them.
  assert.match(text, /│ add \(Add\) +│ \(None, 8, 8, 4\) +│ +0 │ conv2d\[0\]\[0\], +│\n│ +│ +│ +│ conv2d_1\[0\]\[0\] +│/);
  assert.ok(text.includes(' Total params: 179 (716.00 B)'));
});

test('functional errors: disconnected graphs name the missing input', () => {
  const a = keras.Input({ shape: [4] });
  const b = keras.Input({ shape: [4] });
  const out = new layers.Add().apply([a, b]);
  assert.throws(() => new keras.Model(a, out), /Graph disconnected/);
  const model = new keras.Model([a, b], out);
  assert.deepEqual(model.inputs.length, 2);
  assert.throws(() => model.getLayer('nope'), /No such layer: nope/);
});

test('Sequential: add, pop, Input, deferred build on the first batch', async () => {
  keras.utils.clearSession();
  const model = new keras.Sequential();
  model.add(keras.Input({ shape: [6] }));
  model.add(new layers.Dense(4, { activation: 'relu' }));
  model.add(new layers.Dense(2));
  assert.equal(model.countParams(), 6 * 4 + 4 + 4 * 2 + 2);
  assert.equal(model.pop().name, 'dense_1');
  assert.deepEqual(model.output.shape, [null, 4]);
  assert.throws(() => model.add('dense' as unknown as keras.layers.Layer), /Only instances of `keras.Layer` can be added/);

  const deferred = new keras.Sequential([new layers.Dense(3)]);
  let unbuilt = '';
  deferred.summary({ printFn: (t) => (unbuilt = t) }); // Keras 3 prints unbuilt layers rather than failing
  assert.match(unbuilt, /│ dense_\d+ \(Dense\) +│ \? +│ +0 \(unbuilt\) │/);
  const y = await deferred.predict(keras.ops.ones([2, 5]), { verbose: 0 });
  assert.deepEqual(y.shape, [2, 3]);
  assert.equal(deferred.countParams(), 18);
});
