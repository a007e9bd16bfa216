/**
 * The Keras 3 formats: the `.keras` zip (metadata.json, config.json, model.weights.h5) and the
 * `.weights.h5` file. Mirrors keras/src/saving/saving_lib.py.
 *
 * The weights file holds one group per saveable: `vars` for the model itself, `layers/<key>/vars`
 * for each layer and `optimizer/vars` once compiled, each with a `name` attribute and datasets
 * '0', '1', ... in the order of the saveable's own variables. A layer's key is its class name in
 * snake_case made unique within its list ('conv2d', 'conv2d_1'), not its name, as Keras does.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Tensor } from '../backend/tensor.js';
import type { Variable } from '../backend/variable.js';
import type { Layer } from '../layers/layer.js';
import { formatShape } from '../backend/tensor.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { cast } from '../ops/core.js';
import * as optimizers from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { toSnakeCase } from '../utils/naming.js';
import { writeAtomically, type ModelSource } from './file_utils.js';
import { datasetsOf, getGroup, h5Bytes, readDataset, requireGroup, withH5Bytes, writeDataset, type File } from './h5_io_store.js';
import { jsonDumps, type Config, type SerializedObject } from './serialization_lib.js';

export type { ModelSource };

/** The Keras version our files claim, the one whose format they follow. */
export const KERAS_VERSION = '3.15.1';
const CONFIG_FILENAME = 'config.json';
const METADATA_FILENAME = 'metadata.json';
export const VARS_FILENAME = 'model.weights.h5';

/** Where one saveable keeps its own variables in the weights file. */
interface StateEntry {
  /** 'layers/conv2d'; '' for the model itself. */
  path: string;
  name: string;
  variables: readonly Variable[];
}

/** A model's serialized form as Keras writes it in config.json. */
export interface SerializedModel extends SerializedObject {
  build_config?: { input_shape: unknown };
  compile_config?: Config | null;
}

// ---- State walk ---------------------------------------------------------------------------------

/** The saveables of `model` in Keras's walk order: the model, then its layers (nested models recursively). */
function stateEntries(model: Model, prefix = ''): StateEntry[] {
  const entries: StateEntry[] = [{ path: prefix, name: model.name, variables: [] }];
  const used = new Map<string, number>();
  for (const layer of model.layers) {
    const path = joinPath(prefix, 'layers', uniqueKey(toSnakeCase(layer.className), used));
    if (layer instanceof Model) entries.push(...stateEntries(layer, path));
    else entries.push({ path, name: layer.name, variables: layer.weights });
  }
  return entries;
}

/** Keras's _get_unique_name: 'dense', then 'dense_1', 'dense_2'... within one container. */
function uniqueKey(name: string, used: Map<string, number>): string {
  const count = used.get(name);
  used.set(name, count === undefined ? 0 : count + 1);
  return count === undefined ? name : `${name}_${count + 1}`;
}

function joinPath(...parts: string[]): string {
  return parts.filter(Boolean).join('/');
}

function varsPath(path: string): string {
  return joinPath(path, 'vars');
}

/** Writes every saveable's variables (and the optimizer's) into an open HDF5 file. */
function writeState(file: File, model: Model): void {
  for (const entry of stateEntries(model)) {
    const group = requireGroup(file, varsPath(entry.path));
    group.create_attribute('name', entry.name);
    entry.variables.forEach((v, i) => writeDataset(group, String(i), v.value));
  }
  const optimizer = model.optimizer;
  if (optimizer) {
    const group = requireGroup(file, 'optimizer/vars');
    group.create_attribute('name', optimizer.name);
    const store: Record<string, Tensor> = {};
    optimizer.saveOwnVariables(store);
    for (const [key, value] of Object.entries(store)) writeDataset(group, key, value);
  }
}

export interface LoadStateOptions {
  /** Skip (with a warning) layers whose variable count or shapes differ instead of failing. */
  skipMismatch?: boolean;
}

/**
 * Reads and checks every saveable's variables from an open HDF5 file, then returns the function
 * that assigns them: nothing is assigned unless everything matched, so a bad file never leaves a
 * half-loaded model.
 */
export function readState(file: File, label: string, model: Model, options: LoadStateOptions = {}): () => void {
  const assignments: [Variable, Tensor][] = [];
  for (const entry of stateEntries(model)) {
    const group = getGroup(file, varsPath(entry.path));
    const datasets = group ? datasetsOf(group) : [];
    const mismatch = checkVariables(entry, datasets.map(([, d]) => d.shape ?? []), label);
    if (mismatch) {
      if (!options.skipMismatch) throw new Error(mismatch);
      console.warn(`Skipping loading of weights for layer '${entry.name}' due to mismatch: ${mismatch}`);
      continue;
    }
    entry.variables.forEach((v, i) => {
      const value = readDataset(datasets[i][1], `${label}: ${varsPath(entry.path)}/${datasets[i][0]}`);
      assignments.push([v, value.dtype === v.dtype ? value : cast(value, v.dtype)]);
    });
  }
  const optimizerState = readOptimizerState(file, label, model.optimizer);
  return () => {
    for (const [variable, value] of assignments) variable.assign(value);
    optimizerState?.();
  };
}

/** A message naming the file, the layer and both shapes when the saved variables do not fit, else null. */
function checkVariables(entry: StateEntry, shapes: readonly number[][], label: string): string | null {
  const where = `${label}: layer '${entry.name}' (group '${varsPath(entry.path) || '/'}')`;
  if (shapes.length !== entry.variables.length) {
    return `${where} expected ${entry.variables.length} variables, but received ${shapes.length} variables during loading. ` +
      `Expected: [${entry.variables.map((v) => `${v.name} ${formatShape(v.shape)}`).join(', ')}], ` +
      `found shapes: [${shapes.map((s) => formatShape(s)).join(', ')}]`;
  }
  for (const [i, v] of entry.variables.entries()) {
    const found = shapes[i];
    if (found.length !== v.shape.length || found.some((d, j) => d !== v.shape[j])) {
      return `${where}: weight '${v.name}' (index ${i}) has shape ${formatShape(v.shape)}, ` +
        `but the saved value has shape ${formatShape(found)}`;
    }
  }
  return null;
}

/** The optimizer's saved variables, applied by the returned function (Keras warns and skips on a count mismatch). */
function readOptimizerState(file: File, label: string, optimizer: Optimizer | null): (() => void) | null {
  const group = getGroup(file, 'optimizer/vars');
  if (!optimizer || !group) return null;
  const store = Object.fromEntries(datasetsOf(group).map(([key, d]) => [key, readDataset(d, `${label}: optimizer/vars/${key}`)]));
  return () => optimizer.loadOwnVariables(store);
}

// ---- .weights.h5 --------------------------------------------------------------------------------

/**
 * Saves the model's weights (and optimizer state) in the `.weights.h5` format: to `filepath`,
 * atomically, or, without a path, as the file's bytes.
 */
export async function saveWeightsOnly(model: Model, filepath?: string): Promise<Uint8Array> {
  if (filepath !== undefined && !filepath.endsWith('.weights.h5')) {
    throw new Error(`The filename must end in \`.weights.h5\`. Received: filepath=${filepath}`);
  }
  const bytes = await h5Bytes((file) => writeState(file, model));
  if (filepath !== undefined) await writeAtomically(filepath, bytes);
  return bytes;
}

// ---- .keras -------------------------------------------------------------------------------------

/** Keras's serialize_keras_object for a model: its config plus build and compile configs. */
export function serializeModel(model: Model): SerializedModel {
  const isSequential = model instanceof Sequential;
  return {
    module: isSequential ? 'keras' : 'keras.src.models.functional',
    class_name: isSequential ? 'Sequential' : 'Functional',
    config: model.getConfig(),
    registered_name: isSequential ? null : 'Functional',
    build_config: { input_shape: model.built ? model.inputs[0].shape : null },
    compile_config: model.getCompileConfig(),
  };
}

/**
 * Rebuilds a model from its serialized form (Sequential or Functional). Errors name `label`
 * (the file), and a layer config with an argument the layer does not take fails, as Keras's
 * Layer constructor does: such a config comes from another (newer) Keras.
 */
export function deserializeModel(spec: SerializedModel, label = 'config'): Model {
  let model: Model;
  try {
    switch (spec.class_name) {
      case 'Sequential':
        model = Sequential.fromConfig(spec.config);
        break;
      case 'Functional':
      case 'Model':
        model = Model.fromConfig(spec.config);
        break;
      default:
        throw new Error(`Could not locate class '${spec.class_name}': keras-ts can load Sequential and Functional models`);
    }
    checkLayerArguments(spec.config, model);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
  }
  return model;
}

/** Arguments every Keras layer takes besides those in its config (keras/src/layers/layer.py __init__). */
const BASE_LAYER_ARGUMENTS = new Set(['input_dim', 'input_shape', 'autocast', 'activity_regularizer']);

/**
 * Fails on a saved layer argument that the rebuilt layer does not know (its own config lacks it),
 * with Keras's wording: "Unrecognized keyword arguments passed to Dense: {'foo': 1}".
 */
function checkLayerArguments(config: Config, model: Model): void {
  const layers = new Map<string, Layer>([...model.layers, ...model.inputs.map((t) => t.history!.node.layer)].map((l) => [l.name, l]));
  for (const spec of (config.layers ?? []) as SerializedObject[]) {
    const layer = layers.get(spec.config.name as string);
    if (layer instanceof Model) {
      checkLayerArguments(spec.config, layer);
    } else if (layer) {
      const known = new Set(Object.keys(layer.getConfig()));
      const unknown = Object.entries(spec.config).filter(([key]) => !known.has(key) && !BASE_LAYER_ARGUMENTS.has(key));
      if (unknown.length > 0) {
        throw new Error(`Unrecognized keyword arguments passed to ${spec.class_name} (layer '${layer.name}'): ` +
          `${jsonDumps(Object.fromEntries(unknown))}. The config may come from a newer Keras than ${KERAS_VERSION}.`);
      }
    }
  }
}

/**
 * Saves the model as a `.keras` zip: metadata.json, config.json and model.weights.h5, the members
 * and layout Keras 3 writes. Written to `filepath` whole or not at all, or, without a path,
 * returned as the file's bytes.
 */
export async function saveModel(model: Model, filepath?: string): Promise<Uint8Array> {
  if (filepath !== undefined && !filepath.endsWith('.keras')) {
    throw new Error(`Invalid \`filepath\` argument: expected a \`.keras\` extension. Received: filepath=${filepath}`);
  }
  const metadata = { keras_version: KERAS_VERSION, date_saved: dateSaved(new Date()) };
  const weights = await h5Bytes((file) => writeState(file, model));
  // Keras stores the members uncompressed; the JSON members carry the zip epoch as their date.
  const epoch = new Date(1980, 0, 1);
  const zip = zipSync({
    [METADATA_FILENAME]: [strToU8(jsonDumps(metadata)), { level: 0, mtime: epoch }],
    [CONFIG_FILENAME]: [strToU8(jsonDumps(serializeModel(model))), { level: 0, mtime: epoch }],
    [VARS_FILENAME]: [weights, { level: 0, mtime: new Date() }],
  });
  if (filepath !== undefined) await writeAtomically(filepath, zip);
  return zip;
}

/** Python's `datetime.now().strftime("%Y-%m-%d@%H:%M:%S")`. */
function dateSaved(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The members of a `.keras` zip, checked to include `required`; a truncated or foreign archive fails naming `label`. */
export function kerasMembers(bytes: Uint8Array, label: string, required: readonly string[]): Record<string, Uint8Array> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (error) {
    throw new Error(`${label} is not a valid .keras file (a truncated or corrupt zip archive: ${(error as Error).message})`);
  }
  for (const name of required) {
    if (!members[name]) {
      throw new Error(`${label} is not a valid .keras file: the archive has no ${name} ` +
        `(members: ${Object.keys(members).join(', ') || 'none'})`);
    }
  }
  return members;
}

export interface LoadModelOptions {
  /** Compile the model with the saved compile_config (optimizer state included). Default true. */
  compile?: boolean;
}

/** Loads the bytes of a `.keras` zip into a new model, weights and optimizer state included; `label` names the file in errors. */
export async function loadModel(bytes: Uint8Array, label: string, options: LoadModelOptions = {}): Promise<Model> {
  const members = kerasMembers(bytes, label, [CONFIG_FILENAME, VARS_FILENAME]);
  let spec: SerializedModel;
  try {
    spec = JSON.parse(strFromU8(members[CONFIG_FILENAME])) as SerializedModel;
  } catch (error) {
    throw new Error(`${label}: ${CONFIG_FILENAME} is not valid JSON (${(error as Error).message})`);
  }
  const model = deserializeModel(spec, `${label}: ${CONFIG_FILENAME}`);
  if (options.compile ?? true) compileFromConfig(model, spec.compile_config ?? null);
  const weightsLabel = `${label}/${VARS_FILENAME}`;
  const commit = await withH5Bytes(members[VARS_FILENAME], weightsLabel, (file) => readState(file, weightsLabel, model));
  commit();
  return model;
}

/**
 * Keras's compile_from_config: compiles with the saved optimizer, loss and metrics, and builds
 * the optimizer so that its saved variables can be restored.
 */
export function compileFromConfig(model: Model, config: Config | null): void {
  if (!config || !config.optimizer) return;
  model.compile({
    optimizer: optimizers.deserialize(config.optimizer as SerializedObject),
    loss: (config.loss ?? undefined) as Parameters<Model['compile']>[0]['loss'],
    metrics: (config.metrics ?? undefined) as Parameters<Model['compile']>[0]['metrics'],
  });
  if (model.built) model.optimizer!.build(model.trainableWeights);
}
