/**
 * keras.saving's entry points: files given as bytes (no disk, as in a browser), formats told by
 * content rather than name, and bad files failing with errors that name the file, the layer and
 * what differs, leaving the model as it was.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Tensor } from '../backend/tensor.js';
import * as layers from '../layers/index.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { assertClose } from '../testing/assert_close.js';
import { readArray, referenceDir } from '../testing/keras_reference.js';
import { clearSession } from '../utils/clear_session.js';
import { h5Bytes, requireGroup, writeDataset } from './h5_io_store.js';
import { loadModel, loadWeights, saveModel, saveWeights } from './saving_api.js';
import type { Config } from './serialization_lib.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-saving-api-'));
const m1 = (file: string): string => join(referenceDir(), 'models', 'M1', file);
const io = JSON.parse(readFileSync(m1('io.json'), 'utf8'));
const input = readArray(join(referenceDir(), 'models', 'M1'), io.input);
const output = readArray(join(referenceDir(), 'models', 'M1'), io.output);

async function assertPredictsM1(model: Model, what: string): Promise<void> {
  assertClose((await model.predict(input, { verbose: 0 })).values, output.values, { atol: 1e-5, rtol: 0 }, `M1 ${what}`);
}

/** Fails unless the model's weights are still `before` (its getWeights() before a failed load). */
function assertUnchanged(model: Model, before: Tensor[]): void {
  model.getWeights().forEach((w, i) => assert.deepEqual(w.values, before[i].values, 'nothing was half-loaded'));
}

// ---- Bytes ---------------------------------------------------------------------------------------

test('loadModel and loadWeights take a Uint8Array or an ArrayBuffer', async () => {
  clearSession();
  await assertPredictsM1(await loadModel(new Uint8Array(readFileSync(m1('model.keras')))), '.keras bytes');
  const h5 = readFileSync(m1('model.h5'));
  await assertPredictsM1(await loadModel(h5.buffer.slice(h5.byteOffset, h5.byteOffset + h5.byteLength)), '.h5 ArrayBuffer');
  const model = Sequential.fromConfig(JSON.parse(readFileSync(m1('config.json'), 'utf8')).config as Config);
  await model.loadWeights(readFileSync(m1('model.weights.h5')));
  await assertPredictsM1(model, '.weights.h5 bytes');
});

test('saveModel and saveWeights without a path give the file bytes', async () => {
  clearSession();
  const model = await loadModel(m1('model.keras'));
  const bytes = await saveModel(model);
  assert.deepEqual(Object.keys(unzipSync(bytes)), ['metadata.json', 'config.json', 'model.weights.h5']);
  clearSession();
  await assertPredictsM1(await loadModel(bytes), 'saved .keras bytes');
  const fresh = Sequential.fromConfig(model.getConfig());
  await loadWeights(fresh, await saveWeights(model));
  await assertPredictsM1(fresh, 'saved .weights.h5 bytes');
});

test('the saving modules import node: modules only on use, so bytes need no Node', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const file of readdirSync(here).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))) {
    assert.doesNotMatch(readFileSync(join(here, file), 'utf8'), /^import .* from ['"](node:|h5wasm\/node)/m, file);
  }
});

// ---- Formats by content --------------------------------------------------------------------------

test('formats are told by content, not by file name', async () => {
  clearSession();
  const kerasNamedH5 = join(work, 'zip_named.h5');
  copyFileSync(m1('model.keras'), kerasNamedH5);
  await assertPredictsM1(await loadModel(kerasNamedH5), '.keras named .h5');
  const h5NamedKeras = join(work, 'hdf5_named.keras');
  copyFileSync(m1('model.h5'), h5NamedKeras);
  const model = await loadModel(h5NamedKeras);
  await assertPredictsM1(model, '.h5 named .keras');
  // A Keras 3 weights file under a legacy name, and a legacy file under a Keras 3 name.
  const weightsNamedH5 = join(work, 'weights_named.h5');
  copyFileSync(m1('model.weights.h5'), weightsNamedH5);
  const legacyNamedWeights = join(work, 'legacy_named.weights.h5');
  copyFileSync(m1('model.h5'), legacyNamedWeights);
  for (const path of [weightsNamedH5, legacyNamedWeights, m1('model.keras')]) {
    const fresh = Sequential.fromConfig(model.getConfig());
    await fresh.loadWeights(path);
    await assertPredictsM1(fresh, `weights from ${path}`);
  }
  await assert.rejects(loadWeights(model, m1('model.weights.h5'), { byName: true }),
    /`byName` only supports loading legacy '\.h5' or '\.hdf5' files\. Received: .*M1\/model\.weights\.h5/);
});

// ---- Bad input -----------------------------------------------------------------------------------

/** Writes `bytes` under `name` in the work folder and returns the path. */
function badFile(name: string, bytes: Uint8Array | string): string {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return path;
}

/** M1's .keras with its config.json passed through `edit`. */
function editedKeras(name: string, edit: (spec: Config) => void): string {
  const members = unzipSync(readFileSync(m1('model.keras')));
  const spec = JSON.parse(strFromU8(members['config.json'])) as Config;
  edit(spec);
  return badFile(name, zipSync({ ...members, 'config.json': strToU8(JSON.stringify(spec)) }));
}

const m1Layer = (spec: Config, i: number): Config => ((spec.config as Config).layers as Config[])[i];

test('truncated files fail naming the file, never inside the zip or HDF5 library', async () => {
  const keras = readFileSync(m1('model.keras'));
  await assert.rejects(loadModel(badFile('truncated.keras', keras.subarray(0, keras.length >> 1))),
    /truncated\.keras is not a valid \.keras file \(a truncated or corrupt zip archive/);
  const h5 = readFileSync(m1('model.h5'));
  await assert.rejects(loadModel(badFile('truncated.h5', h5.subarray(0, h5.length >> 1))),
    /truncated\.h5 is a truncated or corrupt HDF5 file \(HDF5: truncated file: eof = \d+/);
  clearSession();
  const model = await loadModel(m1('model.keras'));
  const before = model.getWeights();
  const weights = readFileSync(m1('model.weights.h5'));
  await assert.rejects(model.loadWeights(weights.subarray(0, weights.length - 1000)),
    /<in-memory file> is a truncated or corrupt HDF5 file/);
  assertUnchanged(model, before);
});

test('an unknown class_name names the class and lists the known layers', async () => {
  const path = editedKeras('unknown_class.keras', (spec) => (m1Layer(spec, 1).class_name = 'Conv3D'));
  await assert.rejects(loadModel(path),
    /unknown_class\.keras: config\.json: Could not locate layer 'Conv3D'\. Known layers: Activation, Add, .*Conv2D, Dense/);
});

test('a config from a newer Keras with an unknown argument names the layer class and the argument', async () => {
  const path = editedKeras('newer_keras.keras', (spec) => ((m1Layer(spec, 1).config as Config).new_option = 'x'));
  await assert.rejects(loadModel(path),
    /newer_keras\.keras: config\.json: Unrecognized keyword arguments passed to Conv2D \(layer 'conv2d'\): \{"new_option": "x"\}/);
});

test('a weights file with a missing weight dataset names the file, the layer and what is missing', async () => {
  clearSession();
  const withBias = new Sequential([layers.Input({ shape: [3] }), new layers.Dense(2, { name: 'dense' })]);
  const withoutBias = new Sequential([layers.Input({ shape: [3] }), new layers.Dense(2, { name: 'dense', useBias: false })]);
  const before = withBias.getWeights();
  await assert.rejects(withBias.loadWeights(badFile('no_bias.weights.h5', await saveWeights(withoutBias))),
    new RegExp(String.raw`no_bias\.weights\.h5: layer 'dense' \(group 'layers/dense/vars'\) expected 2 variables, but received 1 ` +
      String.raw`variables during loading\. Expected: \[kernel \(3, 2\), bias \(2,\)\], found shapes: \[\(3, 2\)\]`));
  // A legacy file whose weight_names lists a dataset that is not there.
  const legacy = await h5Bytes((file) => {
    file.create_attribute('layer_names', ['dense']);
    const group = requireGroup(file, 'dense');
    group.create_attribute('weight_names', ['dense/kernel', 'dense/bias']);
    writeDataset(requireGroup(group, 'dense'), 'kernel', withBias.weights[0].value);
  });
  await assert.rejects(withBias.loadWeights(badFile('missing_dataset.h5', legacy)),
    /missing_dataset\.h5: 'dense' lists weight 'dense\/bias' in its weight_names, but the file has no such dataset/);
  assertUnchanged(withBias, before);
});
