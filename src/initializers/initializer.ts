/** The initializer base class (keras.initializers.Initializer). Mirrors keras/src/initializers/initializer.py. */
import type { DType, Shape, Tensor } from '../backend/tensor.js';
import type { Config } from '../saving/serialization_lib.js';
import { camelKeys } from '../utils/naming.js';

/**
 * Initializer base class: every initializer turns a shape (and dtype) into a starting tensor.
 *
 * Subclasses implement `call`, return their Keras config from `getConfig` (snake_case keys, as
 * Keras writes them) and take the camelCase form of those keys as constructor options, so the
 * inherited `fromConfig` rebuilds them.
 *
 * Example:
 *   class Halves extends keras.initializers.Initializer {
 *     static readonly className = 'Halves';
 *     call(shape) { return keras.ops.full(shape, 0.5); }
 *   }
 */
export abstract class Initializer {
  static readonly className: string = 'Initializer';

  /**
   * Returns a tensor of `shape` initialized as this initializer specifies.
   *
   * Args:
   *   shape: the tensor's shape.
   *   dtype: the tensor's dtype (default float32).
   */
  abstract call(shape: Shape, dtype?: DType): Tensor;

  /** The initializer's Keras config: JSON-serializable, snake_case keys. */
  getConfig(): Config {
    return {};
  }

  /** Instantiates an initializer from the output of `getConfig()`. */
  static fromConfig<T extends Initializer>(this: new (options: Record<string, unknown>) => T, config: Config): T {
    return new this(camelKeys(config));
  }
}
