/**
 * Keras's object serialization format (keras/src/saving/serialization_lib.py):
 * `{module, class_name, config, registered_name}`. Every serializable class has a static
 * `className` (kept literal because minifiers rename classes) and `getConfig()`.
 */

export type Config = Record<string, unknown>;

export interface SerializedObject {
  module: string;
  class_name: string;
  config: Config;
  registered_name: string | null;
}

export interface Serializable {
  getConfig(): Config;
}

/** A class that can be rebuilt from its config. */
export interface SerializableClass<T> {
  readonly className: string;
  fromConfig(config: Config): T;
}

export function serializeKerasObject(obj: Serializable, module: string): SerializedObject {
  const cls = obj.constructor as unknown as { className?: string };
  if (!cls.className) throw new Error(`serialize: ${obj.constructor.name} has no static className`);
  return { module, class_name: cls.className, config: obj.getConfig(), registered_name: null };
}

export function isSerializedObject(value: unknown): value is SerializedObject {
  return typeof value === 'object' && value !== null && 'class_name' in value && 'config' in value;
}

/**
 * Rebuilds an object of one kind (initializer, layer, ...) from its serialized form, looking the
 * class up by `class_name` in `classes`. `kind` names the kind in errors.
 */
export function deserializeKerasObject<T>(spec: SerializedObject, classes: ReadonlyMap<string, SerializableClass<T>>, kind: string): T {
  const cls = classes.get(spec.class_name);
  if (!cls) {
    throw new Error(`Could not locate ${kind} '${spec.class_name}'. Known ${kind}s: ${[...classes.keys()].join(', ')}`);
  }
  return cls.fromConfig(spec.config ?? {});
}
