/**
 * The legacy HDF5 format of Keras 2 / tf.keras (`model.h5`): the model config as a JSON string
 * attribute `model_config` (and `training_config` once compiled), the weights under
 * `model_weights/<layer name>/<weight path>`, listed by the `layer_names` and `weight_names`
 * attributes, and the optimizer's under `optimizer_weights`. Mirrors
 * keras/src/legacy/saving/legacy_h5_format.py.
 */
import type { Tensor } from '../backend/tensor.js';
import { formatShape } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import type { Layer } from '../layers/layer.js';
import type { Model } from '../models/model.js';
import { cast } from '../ops/core.js';
import { writeAtomically } from './file_utils.js';
import {
  h5Bytes, isDataset, isGroup, readDataset, readStringAttr, requireGroup, withH5Bytes, writeDataset,
} from './h5_io_store.js';
import {
  KERAS_VERSION, compileFromConfig, deserializeModel, serializeModel,
  type LoadModelOptions, type LoadStateOptions, type SerializedModel,
} from './saving_lib.js';
import { jsonDumps, type Config, type SerializedObject } from './serialization_lib.js';
import type { File, Group } from 'h5wasm';

/** The `backend` attribute we write: the engine that produced the weights. */
const BACKEND = 'keras-ts';

export interface LegacyLoadWeightsOptions extends LoadStateOptions {
  /** Match layers by name instead of by position (Keras's `by_name`). */
  byName?: boolean;
}

// ---- Saving -------------------------------------------------------------------------------------

/**
 * Keras's model_metadata under use_legacy_config: the model config with its layers as
 * `{class_name, config}` (plus `name` and `inbound_nodes` in a functional model), and, once
 * compiled, the compile config with the optimizer as `optimizer_config` (saving_utils.py).
 */
function modelMetadata(model: Model): Record<string, string> {
  const { class_name, config, compile_config } = serializeModel(model);
  const layers = (config.layers as Config[]).map(({ module, registered_name, build_config, ...legacy }) => legacy);
  const metadata: Record<string, string> = {
    keras_version: KERAS_VERSION,
    backend: BACKEND,
    model_config: jsonDumps({ class_name, config: { ...config, layers } }),
  };
  if (compile_config?.optimizer) {
    const { optimizer, ...training } = compile_config;
    const { class_name: name, config: optimizerConfig } = optimizer as SerializedObject;
    metadata.training_config = jsonDumps({ ...training, optimizer_config: { class_name: name, config: optimizerConfig } });
  }
  return metadata;
}

/**
 * Saves the whole model in the legacy HDF5 format (save_model_to_hdf5): to `filepath`,
 * atomically, or, without a path, as the file's bytes.
 */
export async function saveModelToHdf5(model: Model, filepath?: string): Promise<Uint8Array> {
  const metadata = modelMetadata(model);
  const bytes = await h5Bytes((file) => {
    for (const [name, value] of Object.entries(metadata)) file.create_attribute(name, value);
    saveWeightsToHdf5Group(requireGroup(file, 'model_weights'), model);
    const optimizer = model.optimizer;
    if (optimizer?.built && optimizer.variables.length > 0) writeWeights(file.create_group('optimizer_weights'), optimizer.variables);
  });
  if (filepath !== undefined) await writeAtomically(filepath, bytes);
  return bytes;
}

/** Writes `layer_names`, then each layer's `weight_names` and datasets (save_weights_to_hdf5_group). */
function saveWeightsToHdf5Group(group: Group, model: Model): void {
  group.create_attribute('backend', BACKEND);
  group.create_attribute('keras_version', KERAS_VERSION);
  group.create_attribute('layer_names', model.layers.map((l) => l.name));
  for (const layer of model.layers) writeWeights(group.create_group(layer.name), layer.weights);
  writeWeights(group.create_group('top_level_model_weights'), []);
}

/** The `weight_names` attribute, and each weight as a dataset at its path (save_subset_weights_to_hdf5_group). */
function writeWeights(group: Group, weights: readonly Variable[]): void {
  group.create_attribute('weight_names', weights.map((v) => v.path));
  for (const v of weights) {
    const parts = v.path.split('/');
    writeDataset(requireGroup(group, parts.slice(0, -1).join('/')), parts.at(-1)!, v.value);
  }
}

// ---- Loading ------------------------------------------------------------------------------------

/** Whether an HDF5 file is in the legacy layout (whole model or weights only) rather than `.weights.h5`. */
export function isLegacyH5(file: File): boolean {
  return 'layer_names' in file.attrs || isGroup(file.get('model_weights'));
}

/**
 * Loads a whole model from a legacy `.h5` file (load_model_from_hdf5): the model from
 * `model_config`, its weights, and, unless `compile` is false, the compile arguments from
 * `training_config` and the optimizer's state from `optimizer_weights`.
 */
export async function loadModelFromHdf5(bytes: Uint8Array, label: string, options: LoadModelOptions = {}): Promise<Model> {
  return withH5Bytes(bytes, label, (file) => {
    const modelConfig = readStringAttr(file, 'model_config');
    if (typeof modelConfig !== 'string') throw new Error(`No model config found in the file at ${label}.`);
    const model = deserializeModel(JSON.parse(modelConfig) as SerializedModel, `${label}: model_config`);
    const weights = file.get('model_weights');
    if (!isGroup(weights)) throw new Error(`${label}: the file has a model_config but no \`model_weights\` group`);
    const commitWeights = loadWeightsFromHdf5Group(weights, label, model);
    const trainingConfig = readStringAttr(file, 'training_config');
    const commitOptimizer = (options.compile ?? true) && typeof trainingConfig === 'string'
      ? compileFromTrainingConfig(file, label, model, JSON.parse(trainingConfig) as Config)
      : null;
    commitWeights();
    commitOptimizer?.();
    return model;
  });
}

/** Compiles `model` from a legacy `training_config` and returns the function restoring the optimizer's saved state. */
function compileFromTrainingConfig(file: File, label: string, model: Model, training: Config): (() => void) | null {
  const { optimizer_config: optimizer, ...config } = training;
  compileFromConfig(model, { ...config, optimizer });
  const group = file.get('optimizer_weights');
  if (!isGroup(group) || !model.optimizer) return null;
  const values = readWeights(group, 'optimizer_weights', label);
  const store = Object.fromEntries(values.map((v, i) => [String(i), v]));
  return () => model.optimizer!.loadOwnVariables(store);
}

/**
 * Reads and checks the legacy weights of an open file (whole-model or weights-only) for `model`,
 * and returns the function assigning them, so that a bad file assigns nothing.
 */
export function readLegacyWeights(file: File, label: string, model: Model, options: LegacyLoadWeightsOptions = {}): () => void {
  const weights = 'layer_names' in file.attrs ? file : file.get('model_weights');
  return loadWeightsFromHdf5Group(weights as Group, label, model, options);
}

/** A layer of the model paired with the saved weights meant for it; `where` names both in messages. */
interface Pairing {
  layer: Layer;
  values: Tensor[];
  where: string;
}

/**
 * Matches saved layers to the model's, by position among the layers that have weights
 * (load_weights_from_hdf5_group) or by name (load_weights_from_hdf5_group_by_name), checks
 * weight counts and shapes, and returns the function assigning the values.
 */
function loadWeightsFromHdf5Group(group: Group, label: string, model: Model, options: LegacyLoadWeightsOptions = {}): () => void {
  const layerNames = readStringAttr(group, 'layer_names');
  if (layerNames === null) throw new Error(`${label}: the weights group has no \`layer_names\` attribute`);
  const saved = [layerNames].flat().map((name) => ({ name, values: readWeights(layerGroup(group, name, label), name, label) }));
  const pairings = options.byName ? pairByName(saved, model) : pairByPosition(saved, model, label);
  const assignments: [Variable, Tensor][] = [];
  for (const { layer, values, where } of pairings) {
    const mismatch = weightMismatch(layer, values, `${label}: ${where}`);
    if (mismatch) {
      if (!options.skipMismatch) throw new Error(mismatch);
      console.warn(`Skipping loading weights for ${where}: ${mismatch}`);
      continue;
    }
    layer.weights.forEach((v, i) => assignments.push([v, values[i].dtype === v.dtype ? values[i] : cast(values[i], v.dtype)]));
  }
  return () => assignments.forEach(([v, value]) => v.assign(value));
}

function pairByPosition(saved: { name: string; values: Tensor[] }[], model: Model, label: string): Pairing[] {
  const layers = model.layers.filter((l) => l.weights.length > 0);
  const withWeights = saved.filter((s) => s.values.length > 0);
  if (withWeights.length !== layers.length) {
    throw new Error(`${label}: Layer count mismatch when loading weights from file. Model expected ${layers.length} layers ` +
      `(${layers.map((l) => l.name).join(', ')}), found ${withWeights.length} saved layers ` +
      `(${withWeights.map((s) => s.name).join(', ')}).`);
  }
  return layers.map((layer, k) => ({ layer, values: withWeights[k].values,
    where: `layer #${k} (named ${layer.name} in the current model, ${withWeights[k].name} in the save file)` }));
}

function pairByName(saved: { name: string; values: Tensor[] }[], model: Model): Pairing[] {
  return saved.flatMap(({ name, values }, k) =>
    model.layers.filter((l) => l.name === name).map((layer) => ({ layer, values, where: `layer #${k} (named ${name})` })));
}

function layerGroup(group: Group, name: string, label: string): Group {
  const entity = group.get(name);
  if (!isGroup(entity)) throw new Error(`${label}: layer_names lists '${name}' but the file has no group '${name}'`);
  return entity;
}

/** The datasets a group's `weight_names` lists, in order (load_subset_weights_from_hdf5_group). */
function readWeights(group: Group, where: string, label: string): Tensor[] {
  return [readStringAttr(group, 'weight_names') ?? []].flat().map((name) => {
    const dataset = group.get(name);
    if (!isDataset(dataset)) {
      throw new Error(`${label}: '${where}' lists weight '${name}' in its weight_names, but the file has no such dataset`);
    }
    return readDataset(dataset, `${label}: ${where}/${name}`);
  });
}

/** A message naming `where` (file and layer), the weight and both shapes when the saved values do not fit, else null. */
function weightMismatch(layer: Layer, values: readonly Tensor[], where: string): string | null {
  const weights = layer.weights;
  if (values.length !== weights.length) {
    return `${where}: weight count mismatch. Layer expects ${weights.length} weight(s) ` +
      `(${weights.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}). Received ${values.length} saved weight(s) ` +
      `(${values.map((t) => formatShape(t.shape)).join(', ')}).`;
  }
  for (const [i, v] of weights.entries()) {
    const t = values[i];
    if (t.rank !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
      return `${where}: shape mismatch for weight ${v.path}. Weight expects shape ${formatShape(v.shape)}. ` +
        `Received saved weight with shape ${formatShape(t.shape)}`;
    }
  }
  return null;
}
