/**
 * Keras files against Keras 3.15.1's own (../shared/keras-reference/models/M1, M2): loading
 * `.keras`, `.weights.h5` and legacy `.h5`, and writing files whose config and HDF5 layout
 * (groups, datasets, shapes, dtypes, attributes) are Keras's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { Dataset, Group } from 'h5wasm';
import { convertToTensor as tensor } from '../ops/core.js';
import * as layers from '../layers/index.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { assertClose } from '../testing/assert_close.js';
import { readArray, referenceDir } from '../testing/keras_reference.js';
import { summaryAt } from '../testing/summary_text.js';
import { setRandomSeed } from '../random/seed_generator.js';
import { clearSession } from '../utils/clear_session.js';
import { withH5Bytes, type File } from './h5_io_store.js';
import { loadModel, loadWeights, saveModel, saveWeights } from './saving_api.js';
import { compileFromConfig } from './saving_lib.js';
import { jsonDumps, type Config } from './serialization_lib.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-saving-'));

/** The listing format of h5_layout.*.txt: every group, dataset (shape, dtype) and attribute, sorted by name. */
function dumpLayout(file: File): string {
  const lines: string[] = ['/ (group)'];
  const attrs = (entity: Group | Dataset, indent: string): void => {
    for (const name of Object.keys(entity.attrs).sort()) lines.push(`${indent}@${name} = ${jsonDumps(entity.get_attribute(name, true))}`);
  };
  const walk = (group: Group, prefix: string, indent: string): void => {
    attrs(group, indent);
    for (const key of group.keys().sort()) {
      const path = `${prefix}${key}`;
      const entity = group.get(key);
      if (entity instanceof Group) {
        lines.push(`${indent}${path}/ (group)`);
        walk(entity, `${path}/`, `${indent}  `);
      } else if (entity instanceof Dataset) {
        const m = entity.metadata;
        const dtype = `${m.littleEndian ? '<' : '>'}${m.type === 1 ? 'f' : m.signed ? 'i' : 'u'}${m.size}`;
        lines.push(`${indent}${path} (dataset shape=[${(entity.shape ?? []).join(', ')}] dtype=${dtype})`);
        attrs(entity, `${indent}  `);
      }
    }
  };
  walk(file, '', '  ');
  return `${lines.join('\n')}\n`;
}

async function layoutOf(bytes: Uint8Array): Promise<string> {
  return withH5Bytes(bytes, 'layout', dumpLayout);
}

/** Keras's ObjectSharingScope adds `shared_object_id` (a Python id()) to shared dtype policies; we do not write it. */
function withoutSharedIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, withoutSharedIds(v)]));
  }
  return value;
}

for (const id of ['M1', 'M2']) {
  const dir = join(referenceDir(), 'models', id);
  const ref = (file: string): string => join(dir, file);
  const io = JSON.parse(readFileSync(ref('io.json'), 'utf8'));
  const input = readArray(dir, io.input);
  const output = readArray(dir, io.output);
  const reference = JSON.parse(readFileSync(ref('config.json'), 'utf8')) as Config;

  const checkModel = async (model: Model, what: string): Promise<void> => {
    const predicted = await model.predict(input, { verbose: 0 });
    assertClose(predicted.values, output.values, { atol: 1e-5, rtol: 0 }, `${id} ${what} predict`);
    assert.equal(summaryAt(model, 200), readFileSync(ref('summary.txt'), 'utf8'), `${id} ${what} summary`);
  };

  test(`${id}: loadModel(model.keras) predicts, summarizes and configures as Keras`, async () => {
    clearSession();
    const model = await loadModel(ref('model.keras'));
    await checkModel(model, '.keras');
    assert.deepEqual(model.getConfig(), withoutSharedIds(reference.config));
  });

  test(`${id}: loadModel(model.h5) (legacy) predicts and summarizes as Keras`, async () => {
    clearSession();
    await checkModel(await loadModel(ref('model.h5')), '.h5');
  });

  test(`${id}: loadWeights(model.weights.h5) into a model built from the config`, async () => {
    clearSession();
    const model = Sequential.fromConfig(reference.config as Config);
    await model.loadWeights(ref('model.weights.h5'));
    await checkModel(model, '.weights.h5');
  });

  test(`${id}: save() writes Keras's .keras members, config and HDF5 layout, and loads back`, async () => {
    clearSession();
    const model = await loadModel(ref('model.keras'));
    const path = join(work, `${id}.keras`);
    await model.save(path);
    const members = unzipSync(readFileSync(path));
    assert.deepEqual(Object.keys(members), ['metadata.json', 'config.json', 'model.weights.h5']);
    const metadata = JSON.parse(strFromU8(members['metadata.json']));
    assert.deepEqual(Object.keys(metadata), ['keras_version', 'date_saved']);
    assert.equal(metadata.keras_version, '3.15.1');
    assert.match(metadata.date_saved, /^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    assert.deepEqual(JSON.parse(strFromU8(members['config.json'])), withoutSharedIds(reference));
    assert.equal(await layoutOf(members['model.weights.h5']), readFileSync(ref('h5_layout.keras_zip.txt'), 'utf8'));
    clearSession();
    await checkModel(await loadModel(path), 'saved .keras');
  });

  test(`${id}: saveWeights() writes Keras's .weights.h5 layout`, async () => {
    clearSession();
    const model = await loadModel(ref('model.keras'));
    const path = join(work, `${id}.weights.h5`);
    await model.saveWeights(path);
    assert.equal(await layoutOf(readFileSync(path)), readFileSync(ref('h5_layout.weights_h5.txt'), 'utf8'));
  });

  test(`${id}: save('.h5') writes the legacy layout (backend and config compared apart) and loads back`, async () => {
    clearSession();
    const model = await loadModel(ref('model.keras'));
    const path = join(work, `${id}.h5`);
    await model.save(path);
    const ours = (await layoutOf(readFileSync(path))).split('\n');
    const theirs = readFileSync(ref('h5_layout.legacy_h5.txt'), 'utf8').split('\n');
    const configLine = (lines: string[]): Config => JSON.parse(JSON.parse(lines.find((l) => l.startsWith('  @model_config = '))!.slice(18)));
    assert.deepEqual(configLine(ours), configLine(theirs));
    // We write backend="keras-ts" (the engine that computed the weights) where Keras wrote "torch".
    const comparable = (lines: string[]): string[] => lines.filter((l) => !/@(model_config|backend) = /.test(l));
    assert.deepEqual(comparable(ours), comparable(theirs));
    clearSession();
    await checkModel(await loadModel(path), 'saved .h5');
  });
}

// ---- Round trips and state ----------------------------------------------------------------------

/** The class names of every layer keras.layers exports (InputLayer aside), so that a new layer joins the round trips. */
function exportedLayerClasses(): string[] {
  const classes = Object.values(layers)
    .filter((v): v is typeof layers.Layer => typeof v === 'function' && v.prototype instanceof layers.Layer);
  return [...new Set(classes.map((c) => c.className))].filter((name) => name !== 'InputLayer').sort();
}

/** A functional model with every layer type, frozen Dense included. */
function everyLayerModel(): Model {
  const inputs = layers.Input({ shape: [6, 6, 2] });
  const scaled = new layers.Rescaling(0.5, { offset: 0.1 }).apply(inputs);
  const padded = new layers.ZeroPadding2D([[1, 0], [0, 1]]).apply(scaled);
  const depthwise = new layers.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }).apply(padded);
  const conv = new layers.ReLU().apply(new layers.BatchNormalization().apply(new layers.Conv2D(4, 3, { padding: 'same' }).apply(depthwise)));
  const maxPooled = new layers.MaxPooling2D().apply(conv);
  const averaged = new layers.AveragePooling2D().apply(conv);
  const merged = new layers.Concatenate().apply([maxPooled, new layers.Add().apply([maxPooled, averaged])]);
  const flat = new layers.Flatten().apply(new layers.Reshape([9, 8]).apply(merged));
  const features = new layers.Concatenate().apply([
    new layers.GlobalAveragePooling2D().apply(merged), new layers.GlobalMaxPooling2D().apply(merged), flat]);
  const hidden = new layers.Activation('tanh').apply(new layers.Dense(8).apply(new layers.Dropout(0.1).apply(features)));
  const frozen = new layers.Dense(6, { trainable: false }).apply(hidden);
  const outputs = new layers.Softmax().apply(new layers.Dense(4).apply(frozen));
  return new Model({ inputs, outputs });
}

const roundTripX = tensor(Array.from({ length: 4 * 6 * 6 * 2 }, (_, i) => Math.sin(i)), [4, 6, 6, 2]);
const roundTripY = tensor([0, 1, 2, 3], [4], 'int32');

async function trainedEveryLayerModel(): Promise<Model> {
  clearSession();
  setRandomSeed(3);
  const model = everyLayerModel();
  assert.deepEqual([...new Set(model.layers.map((l) => l.className))].filter((n) => n !== 'InputLayer').sort(), exportedLayerClasses());
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(roundTripX, roundTripY, { epochs: 2, batchSize: 2, verbose: 0 });
  return model;
}

/** The reloaded model equals the original: config, frozen layers, weights, optimizer state, compile config and predictions. */
async function assertSameModel(loaded: Model, model: Model, what: string): Promise<void> {
  assert.deepEqual(loaded.getConfig(), model.getConfig(), `${what} config`);
  assert.deepEqual(loaded.layers.map((l) => l.trainable), model.layers.map((l) => l.trainable), `${what} trainable flags`);
  assert.deepEqual(loaded.trainableWeights.map((v) => v.path), model.trainableWeights.map((v) => v.path), `${what} trainable weights`);
  model.weights.forEach((v, i) => assert.deepEqual(loaded.weights[i].value.values, v.value.values, `${what} ${v.path}`));
  assert.deepEqual(loaded.optimizer!.variables.map((v) => v.value.values), model.optimizer!.variables.map((v) => v.value.values),
    `${what} optimizer state`);
  assert.deepEqual(loaded.getCompileConfig(), model.getCompileConfig(), `${what} compile config`);
  assertClose((await loaded.predict(roundTripX, { verbose: 0 })).values, (await model.predict(roundTripX, { verbose: 0 })).values,
    { atol: 0, rtol: 0 }, `${what} predict`);
}

test('every layer type round-trips through .keras with its optimizer state, and a resumed fit equals an uninterrupted one', async () => {
  const model = await trainedEveryLayerModel();
  const path = join(work, 'every_layer.keras');
  await model.save(path);
  const loaded = await loadModel(path);
  await assertSameModel(loaded, model, '.keras');
  setRandomSeed(7);  // the same Dropout masks for both
  await model.fit(roundTripX, roundTripY, { epochs: 1, batchSize: 4, verbose: 0 });
  setRandomSeed(7);
  await loaded.fit(roundTripX, roundTripY, { epochs: 1, batchSize: 4, verbose: 0 });
  model.weights.forEach((v, i) => assertClose(loaded.weights[i].value.values, v.value.values, { atol: 0, rtol: 0 }, v.path));
});

test('every layer type round-trips through legacy .h5 (training_config, optimizer_weights) and .weights.h5', async () => {
  const model = await trainedEveryLayerModel();
  const h5 = join(work, 'every_layer.h5');
  await model.save(h5);
  await assertSameModel(await loadModel(h5), model, '.h5');
  const weights = join(work, 'every_layer.weights.h5');
  await model.saveWeights(weights);
  const fresh = Model.fromConfig(model.getConfig());
  compileFromConfig(fresh, model.getCompileConfig());
  await fresh.loadWeights(weights);
  await assertSameModel(fresh, model, '.weights.h5');
});

test('frozen layers and frozen models keep trainable: false through fromConfig and files', async () => {
  clearSession();
  const stack = new Sequential([layers.Input({ shape: [3] }), new layers.Dense(4, { trainable: false }), new layers.Dense(2)]);
  const rebuilt = Sequential.fromConfig(stack.getConfig());
  assert.deepEqual(rebuilt.layers.map((l) => l.trainable), [false, true]);
  assert.deepEqual(rebuilt.trainableWeights.map((v) => v.path), stack.trainableWeights.map((v) => v.path));
  stack.trainable = false;
  for (const file of ['frozen.keras', 'frozen.h5']) {
    await stack.save(join(work, file));
    const loaded = await loadModel(join(work, file));
    assert.equal(loaded.trainable, false, file);
    assert.deepEqual(loaded.layers.map((l) => l.trainable), [false, false], file);
    assert.deepEqual(loaded.trainableWeights, [], file);
  }
});

// ---- Bad input ----------------------------------------------------------------------------------

test('bad files give errors naming the file, the layer and both shapes', async () => {
  const m1 = join(referenceDir(), 'models', 'M1');
  const missing = join(work, 'missing.keras');
  await assert.rejects(loadModel(missing), new RegExp(`No file or directory found at ${missing}`));
  const foreign = join(work, 'foreign.keras');
  writeFileSync(foreign, 'not a model');
  await assert.rejects(loadModel(foreign), /foreign\.keras is neither a \.keras zip nor an HDF5/);
  const noConfig = join(work, 'noconfig.keras');
  writeFileSync(noConfig, zipSync({ 'metadata.json': strToU8('{}'), 'model.weights.h5': readFileSync(join(m1, 'model.weights.h5')) }));
  await assert.rejects(loadModel(noConfig), /noconfig\.keras is not a valid \.keras file: the archive has no config\.json/);
  clearSession();
  const m2 = await loadModel(join(referenceDir(), 'models', 'M2', 'model.keras'));
  const before = m2.getWeights();
  await assert.rejects(m2.loadWeights(join(m1, 'model.weights.h5')),
    /model\.weights\.h5: layer 'conv2d' .*'kernel' \(index 0\) has shape \(5, 5, 1, 32\), but the saved value has shape \(3, 3, 1, 32\)/);
  m2.getWeights().forEach((w, i) => assert.deepEqual(w.values, before[i].values, 'nothing was half-loaded'));
  await assert.rejects(m2.loadWeights(join(m1, 'model.h5')), /model\.h5: Layer count mismatch when loading weights from file\. Model expected 3 layers/);
});

test('a failed save leaves the previous file in place and no temporary file', async () => {
  clearSession();
  const model = await loadModel(join(referenceDir(), 'models', 'M1', 'model.keras'));
  const path = join(work, 'atomic.keras');
  await model.save(path);
  const saved = readFileSync(path);
  const broken = Object.create(model) as Model;
  Object.defineProperty(broken, 'layers', { get: () => { throw new Error('crash while saving'); } });
  await assert.rejects(saveModel(broken, path), /crash while saving/);
  assert.deepEqual(readFileSync(path), saved);
  await assert.rejects(saveWeights(model, join(work, 'w.h5')), /must end in `\.weights\.h5`/);
  assert.ok(!existsSync(join(work, 'w.h5')));
  await assert.rejects(loadWeights(model, join(work, 'nothing.weights.h5')), /No file or directory found/);
  await assert.rejects(withH5Bytes(saved, path, () => assert.fail('a zip is not HDF5')), /atomic\.keras is not an HDF5 file/);
});
