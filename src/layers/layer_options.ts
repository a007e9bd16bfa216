/**
 * What the layers in this folder share when reading their arguments: layer options from a Keras
 * config (the one camelCase key conversion, plus the dtype policy Keras writes) and checks for
 * arguments keras-ts accepts only in their default form.
 */
import type { DType } from '../backend/tensor.js';
import { describe } from '../ops/checks.js';
import { isSerializedObject, type Config } from '../saving/serialization_lib.js';
import { camelKeys } from '../utils/naming.js';

/**
 * Constructor options from a Keras layer config: keys in camelCase, and the
 * `{class_name: 'DTypePolicy', config: {name}}` Keras writes for `dtype` as its dtype name.
 */
export function layerOptionsFromConfig(config: Config): Record<string, unknown> {
  const options = camelKeys(config);
  if (isSerializedObject(options.dtype)) options.dtype = options.dtype.config.name as DType;
  return options;
}

/** Keras's standardize_data_format: null means the image data format, 'channels_last'. */
export function channelsLast(layer: string, dataFormat: string | null | undefined): 'channels_last' {
  const format = (dataFormat ?? 'channels_last').toLowerCase();
  if (format !== 'channels_last') {
    throw new Error(`${layer}: argument 'dataFormat' must be 'channels_last' (keras-ts keeps images NHWC), received ${describe(dataFormat)}`);
  }
  return format;
}

/** Keras's standardize_padding: 'valid' or 'same', in any case. */
export function standardizePadding(layer: string, padding: string): 'valid' | 'same' {
  const value = typeof padding === 'string' ? padding.toLowerCase() : padding;
  if (value !== 'valid' && value !== 'same') {
    throw new Error(`${layer}: argument 'padding' must be 'valid' or 'same', received ${describe(padding)}`);
  }
  return value;
}

/** Fails unless an argument keras-ts does not implement (constraints, activity regularizers) is left null. */
export function assertUnset(layer: string, arg: string, value: unknown): null {
  if (value !== null && value !== undefined) {
    throw new Error(`${layer}: argument '${arg}' is not supported by keras-ts and must be null, received ${describe(value)}`);
  }
  return null;
}
