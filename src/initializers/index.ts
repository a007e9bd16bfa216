/**
 * keras.initializers: the initializer classes, and `get`, `serialize` and `deserialize`, which
 * accept Keras's names ('glorot_uniform', 'GlorotUniform', 'zeros') and its serialized objects.
 * Mirrors keras/src/initializers/__init__.py.
 */
import { isSerializedObject, serializeKerasObject, type SerializedObject } from '../saving/serialization_lib.js';
import { toSnakeCase } from '../utils/naming.js';
import { Constant, Identity, Ones, Zeros } from './constant_initializers.js';
import { Initializer } from './initializer.js';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
  TruncatedNormal, VarianceScaling,
} from './random_initializers.js';

export { Constant, Identity, Ones, Zeros } from './constant_initializers.js';
export type { ConstantOptions, IdentityOptions } from './constant_initializers.js';
export { Initializer } from './initializer.js';
export {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
  TruncatedNormal, VarianceScaling, computeFans,
} from './random_initializers.js';
export type {
  FanMode, NormalOptions, OrthogonalOptions, ScalingDistribution, UniformOptions, VarianceScalingAxesOptions,
  VarianceScalingOptions,
} from './random_initializers.js';

/** A concrete initializer class, as `get` accepts it and the name table holds it. */
type InitializerClass = (new () => Initializer) & Pick<typeof Initializer, 'className' | 'fromConfig'>;

const CLASSES: InitializerClass[] = [
  Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
  Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
];

/** Keras's names: each class name, its snake_case form, then the aliases of initializers/__init__.py. */
const ALL_OBJECTS = new Map<string, InitializerClass>([
  ...CLASSES.map((cls): [string, InitializerClass] => [cls.className, cls]),
  ...CLASSES.map((cls): [string, InitializerClass] => [toSnakeCase(cls.className), cls]),
  ['IdentityInitializer', Identity], ['normal', RandomNormal], ['one', Ones], ['OrthogonalInitializer', Orthogonal],
  ['uniform', RandomUniform], ['zero', Zeros],
]);

/** What `get` accepts: a name, a serialized initializer, an initializer, an initializer class, or null. */
export type InitializerIdentifier = string | Pick<SerializedObject, 'class_name' | 'config'> | Initializer
  | InitializerClass;

/**
 * Returns an initializer for `identifier` (keras.initializers.get).
 *
 * Args:
 *   identifier: a name ('glorot_uniform', 'GlorotUniform', 'zeros'), giving the initializer with
 *     default arguments; a serialized initializer (`{class_name, config}`); an initializer
 *     (returned as is); an initializer class (instantiated with defaults); or null.
 *
 * Example: `keras.initializers.get('he_normal').call([3, 3, 1, 32])`.
 */
export function get(identifier: InitializerIdentifier): Initializer;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null;
export function get(identifier: InitializerIdentifier | null | undefined): Initializer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'function') return new identifier();
  return deserialize(typeof identifier === 'string' ? { class_name: identifier, config: {} } : identifier);
}

/** The `{module, class_name, config, registered_name}` object Keras writes for `initializer` (null stays null). */
export function serialize(initializer: Initializer): SerializedObject;
export function serialize(initializer: Initializer | null): SerializedObject | null;
export function serialize(initializer: Initializer | null): SerializedObject | null {
  return initializer === null ? null : serializeKerasObject(initializer, 'keras.initializers');
}

/**
 * Rebuilds an initializer from its serialized form (keras.initializers.deserialize); `class_name`
 * may be any name `get` accepts.
 */
export function deserialize(config: Pick<SerializedObject, 'class_name' | 'config'>): Initializer {
  const cls = isSerializedObject(config) ? ALL_OBJECTS.get(config.class_name) : undefined;
  if (!cls) {
    // Keras shows a name given as a string as the bare name.
    const plain = isSerializedObject(config) && Object.keys(config.config ?? {}).length === 0;
    const shown = plain ? config.class_name : JSON.stringify(config);
    throw new Error(`Could not interpret initializer identifier: ${shown}. ` +
      `Known initializers: ${[...ALL_OBJECTS.keys()].sort().join(', ')}`);
  }
  return cls.fromConfig(config.config ?? {});
}
