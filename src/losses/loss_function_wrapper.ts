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

/** What a wrapper adds to its config: its function when made directly, then the function's options. */
export function wrapperConfig(direct: boolean, fn: LossFunction, fnOptions: object, known: ReadonlyMap<string, LossFunction>): Config {
  return { ...(direct ? { fn: serializeFunction(fn, known) } : {}), ...snakeKeys(fnOptions) };
}

/** A wrapper's config as the function it names (null for a subclass's config) and camelCase options. */
export function parseWrapperConfig(config: Config, known: ReadonlyMap<string, LossFunction>):
  { fn: LossFunction | null; options: Config } {
  const { fn, ...options } = camelKeys(config);
  return { fn: fn === undefined ? null : deserializeFunction(fn, known), options };
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
  readonly fnOptions: O;
  // Keras's subclasses override get_config to leave `fn` out; only a wrapper made directly names it.
  private readonly configHasFn = this.constructor === LossFunctionWrapper;

  constructor(readonly fn: LossFunction<O>, { name, reduction, ...fnOptions }: LossOptions & O) {
    super({ name: name ?? functionName(fn as LossFunction), reduction });
    this.fnOptions = fnOptions as O;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return this.fn(t, p, this.fnOptions);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...wrapperConfig(this.configHasFn, this.fn as LossFunction, this.fnOptions, LOSS_FUNCTIONS) };
  }

  /** A config with `fn` rebuilds a wrapper around that function (losses.py from_config); others the class itself. */
  static override fromConfig(this: new (options: LossOptions) => Loss, config: Config): Loss {
    const { fn, options } = parseWrapperConfig(config, LOSS_FUNCTIONS);
    return fn ? new LossFunctionWrapper(fn, options as LossOptions) : new this(options as LossOptions);
  }
}
