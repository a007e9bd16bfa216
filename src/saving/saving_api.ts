/**
 * keras.saving: save and load models and weights in the format their file name asks for.
 * Mirrors keras/src/saving/saving_api.py.
 */
import type { Model } from '../models/model.js';
import { readSource } from './file_utils.js';
import { loadModelFromHdf5, loadWeightsFromHdf5, saveModelToHdf5, type LegacyLoadWeightsOptions } from './legacy_h5_format.js';
import * as savingLib from './saving_lib.js';
import type { LoadModelOptions, ModelSource } from './saving_lib.js';

export type LoadWeightsOptions = LegacyLoadWeightsOptions;

/**
 * Saves a model: `.keras` (the Keras 3 zip) or `.h5`/`.hdf5` (the legacy HDF5 format).
 *
 * Example: `await keras.saving.saveModel(model, 'model.keras')`
 */
export async function saveModel(model: Model, filepath: string): Promise<void> {
  if (filepath.endsWith('.keras')) return savingLib.saveModel(model, filepath);
  if (filepath.endsWith('.h5') || filepath.endsWith('.hdf5')) return saveModelToHdf5(model, filepath);
  throw new Error('Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras ' +
    `format (recommended) or a \`.h5\` extension. Received: filepath=${filepath}.`);
}

/**
 * Loads a model saved by `saveModel` or by Keras: a `.keras` zip or a legacy `.h5` file, from a
 * path or from the file's bytes (the format is recognised from the content).
 *
 * Example: `const model = await keras.saving.loadModel('model.keras');`
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  const { bytes } = readSource(source);
  if (isZip(bytes)) return savingLib.loadModel(source, options);
  if (isHdf5(bytes)) return loadModelFromHdf5(source);
  const label = typeof source === 'string' ? source : '<in-memory file>';
  throw new Error(`File format not supported: ${label} is neither a .keras zip nor an HDF5 (.h5) file. ` +
    'keras-ts can load `.keras` and legacy `.h5` files.');
}

/** Saves the weights to a `.weights.h5` file (Keras 3) or a legacy `.h5` file. */
export async function saveWeights(model: Model, filepath: string): Promise<void> {
  if (filepath.endsWith('.weights.h5')) return savingLib.saveWeightsOnly(model, filepath);
  throw new Error(`The filename must end in \`.weights.h5\`. Received: filepath=${filepath}`);
}

/**
 * Loads weights into `model` from a `.weights.h5` file, a `.keras` zip, or a legacy `.h5` file
 * (the last with `byName` and `skipMismatch`).
 */
export async function loadWeights(model: Model, source: ModelSource, options: LoadWeightsOptions = {}): Promise<void> {
  const { bytes, label } = readSource(source);
  if (isZip(bytes)) {
    const loaded = await savingLib.loadModel(source, { compile: false });
    model.setWeights(loaded.getWeights());
    return;
  }
  if (!isHdf5(bytes)) throw new Error(`${label} is not an HDF5 file nor a .keras zip: cannot load weights from it`);
  if (options.byName || isLegacyWeights(label)) return loadWeightsFromHdf5(model, source, options);
  return savingLib.loadWeightsOnly(model, source, options);
}

function isLegacyWeights(label: string): boolean {
  return !label.endsWith('.weights.h5') && (label.endsWith('.h5') || label.endsWith('.hdf5'));
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function isHdf5(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46;
}
