/**
 * keras.regularizers: the regularizer classes, and `get`, `serialize` and `deserialize`, which
 * accept Keras's names ('l1', 'L2', 'l1_l2') and its serialized objects. Mirrors
 * keras/src/regularizers/__init__.py.
 */
import { isSerializedObject, serializeKerasObject, type SerializedObject } from '../saving/serialization_lib.js';
import { toSnakeCase } from '../utils/naming.js';
import { L1, L1L2, L2, OrthogonalRegularizer, Regularizer } from './regularizers.js';

export { L1, L1L2, L2, OrthogonalRegularizer, Regularizer } from './regularizers.js';
export type { L1L2Options, OrthogonalRegularizerOptions } from './regularizers.js';

/** A concrete regularizer class, as `get` accepts it and the name table holds it. */
type RegularizerClass = (new () => Regularizer) & Pick<typeof Regularizer, 'className' | 'fromConfig'>;

const CLASSES: RegularizerClass[] = [L1, L2, L1L2, OrthogonalRegularizer];

/**
 * Keras's names: each class name and its snake_case form ('l1l2' for L1L2), plus 'l1_l2', the
 * name Keras exports the class under (keras.regularizers.l1_l2), which its `get` does not take.
 */
const ALL_OBJECTS = new Map<string, RegularizerClass>([
  ...CLASSES.map((cls): [string, RegularizerClass] => [cls.className, cls]),
  ...CLASSES.map((cls): [string, RegularizerClass] => [toSnakeCase(cls.className), cls]),
  ['l1_l2', L1L2],
]);

/** What `get` accepts: a name, a serialized regularizer, a regularizer, a regularizer class, or null. */
export type RegularizerIdentifier = string | Pick<SerializedObject, 'class_name' | 'config'> | Regularizer
  | RegularizerClass;

/**
 * Returns a regularizer for `identifier` (keras.regularizers.get).
 *
 * Args:
 *   identifier: a name ('l1', 'L2', 'l1_l2'), giving the regularizer with default arguments; a
 *     serialized regularizer (`{class_name, config}`); a regularizer (returned as is); a
 *     regularizer class (instantiated with defaults); or null, giving null.
 *
 * Example: `keras.regularizers.get('l2').call(w)`.
 */
export function get(identifier: RegularizerIdentifier): Regularizer;
export function get(identifier: RegularizerIdentifier | null | undefined): Regularizer | null;
export function get(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'function') return new identifier();
  if (typeof identifier === 'string') {
    const cls = ALL_OBJECTS.get(identifier);
    return cls ? new cls() : uninterpretable(identifier);
  }
  return deserialize(identifier);
}

/** The `{module, class_name, config, registered_name}` object Keras writes for `regularizer` (null stays null). */
export function serialize(regularizer: Regularizer): SerializedObject;
export function serialize(regularizer: Regularizer | null): SerializedObject | null;
export function serialize(regularizer: Regularizer | null): SerializedObject | null {
  return regularizer === null ? null : serializeKerasObject(regularizer, 'keras.regularizers');
}

/** Rebuilds a regularizer from its serialized form (keras.regularizers.deserialize). */
export function deserialize(config: Pick<SerializedObject, 'class_name' | 'config'>): Regularizer {
  const cls = isSerializedObject(config) ? ALL_OBJECTS.get(config.class_name) : undefined;
  return cls ? cls.fromConfig(config.config ?? {}) : uninterpretable(JSON.stringify(config));
}

function uninterpretable(shown: string): never {
  throw new Error(`Could not interpret regularizer identifier: ${shown}. ` +
    `Known regularizers: ${[...ALL_OBJECTS.keys()].sort().join(', ')}`);
}
