/** keras.optimizers: the optimizers, `get`, `serialize`/`deserialize`, and the learning rate schedules. */
import {
  deserializeKerasObject, isSerializedObject, serializeKerasObject, type SerializableClass, type SerializedObject,
} from '../saving/serialization_lib.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Adagrad } from './adagrad.js';
export type { AdagradConfig, AdagradOptions } from './adagrad.js';
export { Adam } from './adam.js';
export type { AdamConfig, AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { Optimizer } from './optimizer.js';
export type { LearningRate, OptimizerConfig, OptimizerOptions } from './optimizer.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropConfig, RMSpropOptions } from './rmsprop.js';
export { SGD } from './sgd.js';
export type { SGDConfig, SGDOptions } from './sgd.js';
export * as schedules from './schedules/index.js';

/** The built-in optimizers by lower-cased class name, as Keras looks them up (optimizers/__init__.py). */
const OPTIMIZERS = new Map<string, SerializableClass<Optimizer>>(
  [Adam, AdamW, SGD, RMSprop, Adagrad].map((cls) => [cls.className.toLowerCase(), cls]),
);

/** Returns the optimizer's serialized form, `{module, class_name, config, registered_name}`. */
export function serialize(optimizer: Optimizer): SerializedObject {
  return serializeKerasObject(optimizer, 'keras.optimizers');
}

/** Rebuilds an optimizer from its serialized form; the class name is matched case-insensitively. */
export function deserialize(config: SerializedObject): Optimizer {
  const name = config.class_name;
  const key = OPTIMIZERS.has(name.toLowerCase()) ? name.toLowerCase() : name;
  return deserializeKerasObject({ ...config, class_name: key }, OPTIMIZERS, 'optimizer');
}

/**
 * Retrieves an optimizer.
 *
 * Args:
 *   identifier: the name of an optimizer ('adam', 'SGD', ... case-insensitive, with default
 *     options), a serialized optimizer, or an `Optimizer` (returned unchanged).
 *
 * Returns:
 *   An `Optimizer`.
 *
 * Example: `keras.optimizers.get('adam')`.
 */
export function get(identifier: string | SerializedObject | Optimizer): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return deserialize({ module: 'keras.optimizers', class_name: identifier, config: {}, registered_name: null });
  if (isSerializedObject(identifier)) return deserialize(identifier);
  throw new Error(`Could not interpret optimizer identifier: ${JSON.stringify(identifier)}`);
}
