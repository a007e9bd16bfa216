/** Rectified linear unit activation layer. Mirrors keras/src/layers/activations/relu.py. */
import { relu } from '../../activations/index.js';
import type { Tensor } from '../../backend/tensor.js';
import { describe } from '../../ops/checks.js';
import type { Config } from '../../saving/serialization_lib.js';
import { Layer, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

export interface ReLUOptions extends LayerOptions {
  /** The largest value returned, or null for none. Keras: max_value=None. */
  maxValue?: number | null;
  /** The slope below the threshold. Keras: negative_slope=0.0. */
  negativeSlope?: number;
  /** Values at or below it are damped (or zeroed). Keras: threshold=0.0. */
  threshold?: number;
}

/**
 * Rectified linear unit activation layer:
 * `maxValue` for x >= maxValue, x for threshold < x < maxValue, and
 * `negativeSlope * (x - threshold)` below.
 *
 * Args:
 *   options: `maxValue`, `negativeSlope`, `threshold` (all non-negative) and the layer options.
 *
 * Example:
 *   new keras.layers.ReLU({maxValue: 6}).apply(keras.tensor([-1, 3, 9])).toArray();   // [0, 3, 6]
 */
export class ReLU extends Layer {
  static override readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(options);
    this.maxValue = options.maxValue ?? null;
    this.negativeSlope = options.negativeSlope ?? 0;
    this.threshold = options.threshold ?? 0;
    const check = (arg: string, value: number | null, allowNull: boolean): void => {
      if (value === null ? !allowNull : !(value >= 0)) {
        throw new Error(`ReLU: argument '${arg}' cannot be ${allowNull ? '' : 'null or '}a negative value, received ${describe(value)}`);
      }
    };
    check('maxValue', this.maxValue, true);
    check('negativeSlope', this.negativeSlope, false);
    check('threshold', this.threshold, false);
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return relu(inputs, { maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }

  static fromConfig(config: Config): ReLU {
    return new ReLU(layerOptionsFromConfig(config));
  }
}
