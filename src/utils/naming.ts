/**
 * The one place where TypeScript spelling meets Keras's file spelling. Options are camelCase,
 * configs are snake_case; the conversion is mechanical and never touches values.
 */

/** Keras's to_snake_case (keras/src/utils/naming.py): 'MaxPooling2D' -> 'max_pooling2d', 'kernelSize' -> 'kernel_size'. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** 'kernel_size' -> 'kernelSize'. */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Converts the top-level keys of an options object to snake_case (nested values untouched). */
export function snakeKeys(options: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [toSnakeCase(k), v]));
}

/** Converts the top-level keys of a config object to camelCase (nested values untouched). */
export function camelKeys(config: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [toCamelCase(k), v]));
}

const uids = new Map<string, number>();

/**
 * A name not handed out before in this session: 'conv2d', then 'conv2d_1', 'conv2d_2'...
 * (keras/src/utils/naming.py uniquify).
 */
export function uniquify(name: string): string {
  const count = uids.get(name) ?? 0;
  uids.set(name, count + 1);
  return count === 0 ? name : `${name}_${count}`;
}

const scopes: string[] = [];

/**
 * Runs `fn` inside a name scope: weights created meanwhile get paths under it, as Keras's
 * name_scope gives a Sequential's weights paths like 'sequential/conv2d/kernel'.
 */
export function withNameScope<T>(name: string, fn: () => T): T {
  scopes.push(name);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

/** `name` prefixed with the enclosing name scopes. */
export function scopedPath(name: string): string {
  return [...scopes, name].join('/');
}

/** Forgets the names handed out (part of keras.utils.clearSession). */
export function resetUids(): void {
  uids.clear();
}
