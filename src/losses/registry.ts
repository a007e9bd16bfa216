/**
 * Looking losses up by name, object or config: keras.losses.get, serialize and deserialize
 * (keras/src/losses/__init__.py). `ObjectRegistry` serves keras.metrics the same way.
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

/** A class that rebuilds its objects from configs. */
export interface Rebuildable<T> {
  readonly className: string;
  fromConfig(config: Config): T;
}

/** A class the registry can also build with defaults. */
export type RegisteredClass<T> = (new () => T) & Rebuildable<T>;

/**
 * Keras's ALL_OBJECTS_DICT for one kind of object with its get, serialize and deserialize.
 * `byName` maps Keras names to classes (built with defaults by `get`) or functions (returned as
 * they are); `wrapper` is the class that rebuilds wrapped functions from configs.
 */
export class ObjectRegistry<T extends { getConfig(): Config }> {
  constructor(private readonly kind: string, private readonly module: string, private readonly base: abstract new (...args: never[]) => T,
    private readonly byName: ReadonlyMap<string, RegisteredClass<T> | LossFunction>, private readonly wrapper: Rebuildable<T>) {}

  private get kinds(): string {
    return this.kind.endsWith('s') ? `${this.kind}es` : `${this.kind}s`;
  }

  private isClass(x: unknown): x is RegisteredClass<T> {
    return typeof x === 'function' && x.prototype instanceof this.base;
  }

  serialize(obj: T): SerializedObject {
    const cls = obj.constructor as RegisteredClass<T>;
    return { module: this.module, class_name: cls.className, config: obj.getConfig(), registered_name: null };
  }

  deserialize(spec: SerializedObject): T {
    const found = this.byName.get(spec.class_name);
    const cls = spec.class_name === this.wrapper.className ? this.wrapper : this.isClass(found) ? found : null;
    if (!cls) {
      const known = [...new Set([...this.byName.values()].filter((c) => this.isClass(c)).map((c) => (c as RegisteredClass<T>).className))];
      throw new Error(`Could not locate ${this.kind} class '${spec.class_name}'. Known ${this.kinds}: ${known.join(', ')}`);
    }
    return cls.fromConfig(spec.config ?? {});
  }

  get(identifier: string | T | LossFunction | RegisteredClass<T> | SerializedObject | null | undefined): T | LossFunction | null {
    if (identifier === null || identifier === undefined) return null;
    if (identifier instanceof this.base) return identifier as T;
    if (isSerializedObject(identifier)) return this.deserialize(identifier);
    const obj = typeof identifier === 'string' ? this.byName.get(identifier) : identifier;
    if (this.isClass(obj)) return new obj();
    if (typeof obj === 'function') return obj as LossFunction;
    throw new Error(`Could not interpret ${this.kind} identifier: ${String(identifier)}. Known ${this.kinds}: ${[...this.byName.keys()].join(', ')}`);
  }
}

const CLASSES: readonly RegisteredClass<Loss>[] = [
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError,
];

/** Keras's ALL_OBJECTS_DICT: class names, function names, and the short aliases. */
const LOSSES = new ObjectRegistry<Loss>('loss', 'keras.losses', Loss, new Map<string, RegisteredClass<Loss> | LossFunction>([
  ...CLASSES.map((c): [string, RegisteredClass<Loss>] => [c.className, c]),
  ...LOSS_FUNCTIONS,
  ['mae', LOSS_FUNCTIONS.get('mean_absolute_error')!], ['MAE', LOSS_FUNCTIONS.get('mean_absolute_error')!],
  ['mse', LOSS_FUNCTIONS.get('mean_squared_error')!], ['MSE', LOSS_FUNCTIONS.get('mean_squared_error')!],
]), LossFunctionWrapper);

/** Keras's serialized form of a Loss (keras.losses.serialize). */
export const serialize = (loss: Loss): SerializedObject => LOSSES.serialize(loss);

/** Rebuilds a Loss from its serialized form (keras.losses.deserialize). */
export const deserialize = (spec: SerializedObject): Loss => LOSSES.deserialize(spec);

export type LossIdentifier = string | Loss | LossFunction | RegisteredClass<Loss> | SerializedObject;

/**
 * Retrieves a loss (keras.losses.get) from a Keras name ('categorical_crossentropy', 'mse',
 * 'CategoricalCrossentropy'...), a serialized config, a Loss, a Loss class or a function.
 *
 * Returns: a function for function names, a Loss instance for class names (built with
 * defaults), the object itself otherwise; null for null.
 *
 * Example: `get('mse')` is `meanSquaredError`; `get('MeanSquaredError')` a MeanSquaredError.
 */
export const get = (identifier: LossIdentifier | null | undefined): Loss | LossFunction | null => LOSSES.get(identifier);
