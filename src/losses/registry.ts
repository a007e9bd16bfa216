/**
 * Looking losses up by name, object or config: keras.losses.get, serialize and deserialize
 * (keras/src/losses/__init__.py).
 */
import { isSerializedObject, type Config, type SerializedObject } from '../saving/serialization_lib.js';
import { BinaryCrossentropy } from './binary_crossentropy.js';
import { CategoricalCrossentropy } from './categorical_crossentropy.js';
import { Loss } from './loss.js';
import { LossFunctionWrapper } from './loss_function_wrapper.js';
import { LOSS_FUNCTIONS, type LossFunction } from './losses.js';
import { MeanAbsoluteError } from './mean_absolute_error.js';
import { MeanSquaredError } from './mean_squared_error.js';
import { SparseCategoricalCrossentropy } from './sparse_categorical_crossentropy.js';

type LossClass = (new () => Loss) & { readonly className: string; fromConfig(config: Config): Loss };

const CLASSES: readonly LossClass[] = [
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError,
];

/** Keras's ALL_OBJECTS_DICT: class names, function names, and the short aliases. */
const BY_NAME = new Map<string, LossClass | LossFunction>([
  ...CLASSES.map((c): [string, LossClass] => [c.className, c]),
  ...LOSS_FUNCTIONS,
  ...(['mae', 'MAE'].map((a): [string, LossFunction] => [a, LOSS_FUNCTIONS.get('mean_absolute_error')!])),
  ...(['mse', 'MSE'].map((a): [string, LossFunction] => [a, LOSS_FUNCTIONS.get('mean_squared_error')!])),
]);

const isLossClass = (x: unknown): x is LossClass => typeof x === 'function' && x.prototype instanceof Loss;

/** Keras's serialized form of a Loss (keras.losses.serialize). */
export function serialize(loss: Loss): SerializedObject {
  const cls = loss.constructor as LossClass;
  return { module: 'keras.losses', class_name: cls.className, config: loss.getConfig(), registered_name: null };
}

/** Rebuilds a Loss from its serialized form (keras.losses.deserialize). */
export function deserialize(spec: SerializedObject): Loss {
  const cls = spec.class_name === LossFunctionWrapper.className ? LossFunctionWrapper : BY_NAME.get(spec.class_name);
  if (!isLossClass(cls)) {
    throw new Error(`Could not locate loss class '${spec.class_name}'. Known losses: ${CLASSES.map((c) => c.className).join(', ')}`);
  }
  return cls.fromConfig(spec.config ?? {});
}

/**
 * Retrieves a loss (keras.losses.get) from a Keras name ('categorical_crossentropy', 'mse',
 * 'CategoricalCrossentropy'...), a serialized config, a Loss, a Loss class or a function.
 *
 * Returns: a function for function names, a Loss instance for class names (built with
 * defaults), the object itself otherwise; null for null.
 *
 * Example: `get('mse')` is `meanSquaredError`; `get('MeanSquaredError')` a MeanSquaredError.
 */
export function get(identifier: string | Loss | LossFunction | LossClass | SerializedObject | null | undefined): Loss | LossFunction | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Loss) return identifier;
  if (isSerializedObject(identifier)) return deserialize(identifier);
  const obj = typeof identifier === 'string' ? BY_NAME.get(identifier) : identifier;
  if (isLossClass(obj)) return new obj();
  if (typeof obj === 'function') return obj as LossFunction;
  throw new Error(`Could not interpret loss identifier: ${String(identifier)}. Known losses: ${[...BY_NAME.keys()].join(', ')}`);
}
