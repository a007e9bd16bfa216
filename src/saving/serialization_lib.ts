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

/**
 * JSON text as Python's `json.dumps` writes it with its defaults, the form of Keras's files:
 * `", "` and `": "` separators, non-ASCII escaped, exponents with at least two digits (`1e-07`).
 * Integral floats are written as integers (`1` where Python writes `1.0`): a JS number does not
 * remember which it was, and both parse to the same value.
 */
export function jsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${jsonDumps(k)}: ${jsonDumps(v)}`).join(', ')}}`;
}
