/**
 * keras.saving: save and load models and weights in the format their file name asks for, and
 * load them in the format their content shows. Mirrors keras/src/saving/saving_api.py.
 */
import type { Model } from '../models/model.js';
import { fileFormat, readSource, type ModelSource } from './file_utils.js';
import { withH5Bytes } from './h5_io_store.js';
import {
  isLegacyH5, loadModelFromHdf5, readLegacyWeights, saveModelToHdf5, type LegacyLoadWeightsOptions,
} from './legacy_h5_format.js';
import * as savingLib from './saving_lib.js';
import type { LoadModelOptions } from './saving_lib.js';

export type LoadWeightsOptions = LegacyLoadWeightsOptions;

/**
 * Saves a model: `.keras` (the Keras 3 zip) or `.h5`/`.hdf5` (the legacy HDF5 format), written
 * whole or not at all. Without a path, resolves to the bytes of the `.keras` file instead (for a
 * browser download, a fetch body...).
 *
 * Example:
 *   await keras.saving.saveModel(model, 'model.keras');
 *   const bytes = await keras.saving.saveModel(model);
 *   const same = await keras.saving.loadModel(bytes);
 */
export function saveModel(model: Model): Promise<Uint8Array>;
export function saveModel(model: Model, filepath: string): Promise<void>;
export async function saveModel(model: Model, filepath?: string): Promise<Uint8Array | void> {
  if (filepath === undefined) return savingLib.saveModel(model);
  if (filepath.endsWith('.keras')) {
    await savingLib.saveModel(model, filepath);
  } else if (filepath.endsWith('.h5') || filepath.endsWith('.hdf5')) {
    await saveModelToHdf5(model, filepath);
  } else {
    throw new Error('Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras ' +
      `format (recommended) or a \`.h5\` extension. Received: filepath=${filepath}.`);
  }
}

/**
 * Loads a model saved by `saveModel` or by Keras: a `.keras` zip or a legacy `.h5` file, from a
 * path or from the file's bytes (the format is recognised from the content, not the name).
 *
 * Example: `const model = await keras.saving.loadModel('model.keras');`
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  const { bytes, label } = await readSource(source);
  switch (fileFormat(bytes)) {
    case 'zip':
      return savingLib.loadModel(bytes, label, options);
    case 'hdf5':
      return loadModelFromHdf5(bytes, label, options);
    default:
      throw new Error(`File format not supported: ${label} is neither a .keras zip nor an HDF5 (.h5) file. ` +
        'keras-ts can load `.keras` and legacy `.h5` files.');
  }
}

/**
 * Saves the weights (and optimizer state) to a `.weights.h5` file, written whole or not at all;
 * without a path, resolves to the file's bytes.
 */
export function saveWeights(model: Model): Promise<Uint8Array>;
export function saveWeights(model: Model, filepath: string): Promise<void>;
export async function saveWeights(model: Model, filepath?: string): Promise<Uint8Array | void> {
  const bytes = await savingLib.saveWeightsOnly(model, filepath);
  if (filepath === undefined) return bytes;
}

/**
 * Loads weights into `model` from a `.weights.h5` file, a `.keras` zip or a legacy `.h5` file
 * (recognised from the content), from a path or the file's bytes. `byName` (legacy `.h5` only)
 * matches layers by name; `skipMismatch` skips, with a warning, the layers whose saved weights
 * do not fit. Nothing is assigned unless every weight that is loaded fits.
 */
export async function loadWeights(model: Model, source: ModelSource, options: LoadWeightsOptions = {}): Promise<void> {
  const { bytes, label } = await readSource(source);
  const format = fileFormat(bytes);
  if (format === null) throw new Error(`${label} is neither an HDF5 file nor a .keras zip: cannot load weights from it`);
  const [h5, h5Label] = format === 'zip'
    ? [savingLib.kerasMembers(bytes, label, [savingLib.VARS_FILENAME])[savingLib.VARS_FILENAME], `${label}/${savingLib.VARS_FILENAME}`]
    : [bytes, label];
  const commit = await withH5Bytes(h5, h5Label, (file) => {
    if (isLegacyH5(file)) return readLegacyWeights(file, h5Label, model, options);
    if (options.byName) throw new Error(`\`byName\` only supports loading legacy '.h5' or '.hdf5' files. Received: ${label}`);
    return savingLib.readState(file, h5Label, model, options);
  });
  commit();
}
