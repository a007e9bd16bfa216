/** Mirrors LossFunctionWrapper in keras/src/losses/losses.py. */
import type { Tensor } from '../backend/tensor.js';
import type { Config } from '../saving/serialization_lib.js';
import { camelKeys, snakeKeys } from '../utils/naming.js';
import { Loss, squeezeOrExpandToSameRank, type LossOptions } from './loss.js';
import { LOSS_FUNCTIONS, functionName, type LossFunction } from './losses.js';

/** Keras's serialized form of a function: its name is the config. */
export interface SerializedFunction {
  module: string;
  class_name: 'function';
  config: string;
  registered_name: string;
}

/**
 * A built-in function as Keras serializes it (serialization_lib.py serialize_with_public_fn).
 * Keras exports these first as keras.metrics.<name>, the module it records.
 */
export function serializeFunction(fn: LossFunction, known: ReadonlyMap<string, LossFunction> = LOSS_FUNCTIONS): SerializedFunction {
  const name = functionName(fn, known);
  if (known.get(name) !== fn) {
    throw new Error(`Cannot serialize the custom function '${fn.name}': only Keras's built-in functions can be saved by name`);
  }
  return { module: 'keras.metrics', class_name: 'function', config: name, registered_name: name };
}

/** The built-in function a serialized function (or its name) refers to. */
export function deserializeFunction(spec: unknown, known: ReadonlyMap<string, LossFunction> = LOSS_FUNCTIONS): LossFunction {
  const name = typeof spec === 'string' ? spec : (spec as { config?: unknown } | null)?.config;
  const fn = typeof name === 'string' ? known.get(name) : undefined;
  if (!fn) throw new Error(`Could not interpret function ${JSON.stringify(spec)}. Known functions: ${[...known.keys()].join(', ')}`);
  return fn;
}

/**
 * A Loss from a function `fn(yTrue, yPred, options)` returning per-sample losses. Ranks of yTrue
 * and yPred are first matched by squeezing or adding a trailing size-1 axis.
 *
 * Args:
 *   fn: the loss function.
 *   options: `name`, `reduction` (see Loss), and the rest passed on to `fn` as its options.
 *
 * Example: `new LossFunctionWrapper(keras.losses.meanSquaredError, {name: 'mse'})`.
 */
export class LossFunctionWrapper<O extends object = object> extends Loss {
  static override readonly className: string = 'LossFunctionWrapper';
  readonly fn: LossFunction<O>;
  readonly fnOptions: O;
  // Keras's subclasses override get_config to leave `fn` out; only a wrapper made directly names it.
  private readonly configHasFn: boolean;

  constructor(fn: LossFunction<O>, options: LossOptions & O) {
    const { name, reduction, ...fnOptions } = options;
    super({ name: name ?? functionName(fn as LossFunction), reduction });
    this.fn = fn;
    this.fnOptions = fnOptions as O;
    this.configHasFn = new.target === LossFunctionWrapper;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return this.fn(t, p, this.fnOptions);
  }

  override getConfig(): Config {
    const fn = this.configHasFn ? { fn: serializeFunction(this.fn as LossFunction) } : {};
    return { ...super.getConfig(), ...fn, ...snakeKeys(this.fnOptions) };
  }

  /** A config with `fn` rebuilds a wrapper around that function (losses.py from_config); others the class itself. */
  static override fromConfig(this: new (options: LossOptions) => Loss, config: Config): Loss {
    const { fn, ...rest } = camelKeys(config);
    if (fn === undefined) return new this(rest as LossOptions);
    return new LossFunctionWrapper(deserializeFunction(fn), rest as LossOptions);
  }
}
