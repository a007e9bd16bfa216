/**
 * The legacy HDF5 format of Keras 2 / tf.keras (`model.h5`): the model config as a JSON string
 * attribute `model_config`, and the weights under `model_weights/<layer name>/<weight path>`,
 * listed by the `layer_names` and `weight_names` attributes. Mirrors
 * keras/src/legacy/saving/legacy_h5_format.py.
 */
import type { Tensor } from '../backend/tensor.js';
import { formatShape } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import type { Layer } from '../layers/layer.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { cast } from '../ops/core.js';
import { readSource, writeAtomically } from './file_utils.js';
import { openH5, readDataset, readStringAttr, requireGroup, withH5Bytes, writeDataset } from './h5_io_store.js';
import { KERAS_VERSION, deserializeModel, type LoadStateOptions, type ModelSource, type SerializedModel } from './saving_lib.js';
import { jsonDumps, type Config } from './serialization_lib.js';
import { Dataset, Group } from 'h5wasm/node';

/** The `backend` attribute we write: the engine that produced the weights. */
const BACKEND = 'keras-ts';

export interface LegacyLoadWeightsOptions extends LoadStateOptions {
  /** Match layers by name instead of by position (Keras's `by_name`). */
  byName?: boolean;
}

/** The legacy config: layers as `{class_name, config}` only (Keras's use_legacy_config). */
function legacyModelConfig(model: Model): Config {
  if (!(model instanceof Sequential)) {
    throw new Error('Saving a functional model in the legacy .h5 format is not supported by keras-ts; use the .keras format');
  }
  const config = model.getConfig();
  const layers = (config.layers as Config[]).map((l) => ({ class_name: l.class_name, config: l.config }));
  return { class_name: 'Sequential', config: { ...config, layers } };
}

/** Saves the whole model in the legacy HDF5 format, atomically. */
export async function saveModelToHdf5(model: Model, filepath: string): Promise<void> {
  const modelConfig = jsonDumps(legacyModelConfig(model));
  await writeAtomically(filepath, async (temp) => {
    const file = await openH5(temp, 'w');
    try {
      file.create_attribute('backend', BACKEND);
      file.create_attribute('keras_version', KERAS_VERSION);
      file.create_attribute('model_config', modelConfig);
      saveWeightsToHdf5Group(requireGroup(file, 'model_weights'), model);
    } finally {
      file.close();
    }
  });
}

/** Writes `layer_names`, then each layer's `weight_names` and datasets (save_weights_to_hdf5_group). */
function saveWeightsToHdf5Group(group: Group, model: Model): void {
  group.create_attribute('backend', BACKEND);
  group.create_attribute('keras_version', KERAS_VERSION);
  group.create_attribute('layer_names', model.layers.map((l) => l.name));
  for (const layer of model.layers) {
    const layerGroup = group.create_group(layer.name);
    writeWeights(layerGroup, layer.weights);
  }
  writeWeights(group.create_group('top_level_model_weights'), []);
}

function writeWeights(group: Group, weights: readonly Variable[]): void {
  group.create_attribute('weight_names', weights.map((v) => v.path));
  for (const v of weights) {
    const parts = v.path.split('/');
    writeDataset(requireGroupIn(group, parts.slice(0, -1)), parts.at(-1)!, v.value);
  }
}

function requireGroupIn(group: Group, parts: readonly string[]): Group {
  return parts.reduce((g, part) => {
    const child = g.get(part);
    return child instanceof Group ? child : g.create_group(part);
  }, group);
}

/** Loads a whole model from a legacy `.h5` file (a path or its bytes). */
export async function loadModelFromHdf5(source: ModelSource): Promise<Model> {
  const { bytes, label } = readSource(source);
  return withH5Bytes(bytes, label, (file) => {
    const text = readStringAttr(file, 'model_config');
    if (typeof text !== 'string') throw new Error(`${label}: no model found in config file (no \`model_config\` attribute)`);
    const model = deserializeModel(JSON.parse(text) as SerializedModel, `${label}: model_config`);
    const weights = file.get('model_weights');
    if (!(weights instanceof Group)) throw new Error(`${label}: no \`model_weights\` group`);
    loadWeightsFromHdf5Group(weights, label, model)();
    return model;
  });
}

/** Loads weights from a legacy `.h5` file (whole-model or weights-only) into `model`. */
export async function loadWeightsFromHdf5(model: Model, source: ModelSource, options: LegacyLoadWeightsOptions = {}): Promise<void> {
  const { bytes, label } = readSource(source);
  const commit = await withH5Bytes(bytes, label, (file) => {
    const weights = file.get('model_weights');
    return loadWeightsFromHdf5Group(weights instanceof Group ? weights : file, label, model, options);
  });
  commit();
}

/**
 * Reads and checks the weights of every layer that has some, matched by position (or by name),
 * and returns the function assigning them, so that a bad file assigns nothing.
 */
function loadWeightsFromHdf5Group(group: Group, label: string, model: Model, options: LegacyLoadWeightsOptions = {}): () => void {
  const layerNames = readStringAttr(group, 'layer_names');
  if (!Array.isArray(layerNames)) throw new Error(`${label}: the weights group has no \`layer_names\` attribute`);
  const saved = layerNames
    .map((name) => ({ name, values: savedWeights(group, name, label) }))
    .filter((s) => options.byName || s.values.length > 0);
  const layers = model.layers.filter((l) => l.weights.length > 0);
  const pairs: [Layer, Tensor[]][] = [];
  if (options.byName) {
    for (const s of saved) {
      const layer = model.layers.find((l) => l.name === s.name);
      if (layer) pairs.push([layer, s.values]);
    }
  } else {
    if (saved.length !== layers.length) {
      throw new Error(`${label}: layer count mismatch when loading weights from file. Model expects ${layers.length} layers ` +
        `with weights (${layers.map((l) => l.name).join(', ')}), but the saved weights have ${saved.length} ` +
        `(${saved.map((s) => s.name).join(', ')}).`);
    }
    layers.forEach((layer, i) => pairs.push([layer, saved[i].values]));
  }
  const assignments: [Variable, Tensor][] = [];
  for (const [layer, values] of pairs) {
    const mismatch = weightMismatch(layer, values, label);
    if (mismatch) {
      if (!options.skipMismatch) throw new Error(mismatch);
      console.warn(`Skipping loading weights for layer #${model.layers.indexOf(layer)} (named ${layer.name}): ${mismatch}`);
      continue;
    }
    layer.weights.forEach((v, i) => assignments.push([v, values[i].dtype === v.dtype ? values[i] : cast(values[i], v.dtype)]));
  }
  return () => assignments.forEach(([v, value]) => v.assign(value));
}

function savedWeights(group: Group, layerName: string, label: string): Tensor[] {
  const layerGroup = group.get(layerName);
  if (!(layerGroup instanceof Group)) throw new Error(`${label}: layer_names lists '${layerName}' but there is no such group`);
  const names = readStringAttr(layerGroup, 'weight_names') ?? [];
  return (Array.isArray(names) ? names : [names]).map((name) => {
    const dataset = layerGroup.get(name);
    if (!(dataset instanceof Dataset)) throw new Error(`${label}: layer '${layerName}' lists weight '${name}' but has no such dataset`);
    return readDataset(dataset, `${label}: ${layerName}/${name}`);
  });
}

function weightMismatch(layer: Layer, values: readonly Tensor[], label: string): string | null {
  const weights = layer.weights;
  if (values.length !== weights.length) {
    return `${label}: layer '${layer.name}' expects ${weights.length} weights ` +
      `(${weights.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}), but the saved weights have ${values.length} ` +
      `(${values.map((t) => formatShape(t.shape)).join(', ')}).`;
  }
  for (const [i, v] of weights.entries()) {
    const t = values[i];
    if (t.rank !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
      return `${label}: shape mismatch in layer '${layer.name}' for weight '${v.name}': weight expects shape ` +
        `${formatShape(v.shape)}, received value of shape ${formatShape(t.shape)}`;
    }
  }
  return null;
}
