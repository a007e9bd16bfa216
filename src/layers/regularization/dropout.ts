/** Applies dropout to the input. Mirrors keras/src/layers/regularization/dropout.py. */
import type { Tensor } from '../../backend/tensor.js';
import { describe } from '../../ops/checks.js';
import { ones } from '../../ops/core.js';
import { multiply } from '../../ops/numpy.js';
import { dropout } from '../../random/random.js';
import type { Config } from '../../saving/serialization_lib.js';
import { Layer, type CallOptions, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

export interface DropoutOptions extends LayerOptions {
  /**
   * The shape of the binary mask, broadcast over the inputs (null entries take the input's size);
   * e.g. `[null, 1, 1, null]` drops whole channels of images. Keras: noise_shape=None (the input's shape).
   */
  noiseShape?: readonly (number | null)[] | null;
  /** A seed makes the sequence of masks reproducible. Keras: seed=None. */
  seed?: number | null;
}

/**
 * Applies dropout to the input: while training, sets each value to 0 with probability `rate`
 * and scales the others by `1 / (1 - rate)`, so the expected sum is unchanged. Outside training
 * it returns the input unchanged.
 *
 * Args:
 *   rate: the fraction of the input units to drop, in [0, 1).
 *   options: `noiseShape`, `seed`, and the layer options.
 *
 * Call arguments: `training` (drop only when true).
 *
 * Example:
 *   const layer = new keras.layers.Dropout(0.2);
 *   layer.apply(x);                      // x itself
 *   layer.apply(x, {training: true});    // about 20% zeros, the rest x / 0.8
 */
export class Dropout extends Layer {
  static override readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  /** Masks drawn so far: with a seed, each call derives the next one, as Keras's SeedGenerator does. */
  private draws = 0;

  constructor(rate: number, options: DropoutOptions = {}) {
    super(options);
    // Keras accepts rate=1 too; here it would scale by 1 / 0, so the range stops short of 1.
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`Dropout: invalid value received for argument 'rate'. Expected a float value in [0, 1). Received: rate=${describe(rate)}`);
    }
    this.rate = rate;
    this.seed = options.seed ?? null;
    if (this.seed !== null && !Number.isInteger(this.seed)) throw new Error(`Dropout: argument 'seed' must be an integer or null, received ${describe(this.seed)}`);
    this.noiseShape = options.noiseShape ? [...options.noiseShape] : null;
    if (this.noiseShape?.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
      throw new Error(`Dropout: argument 'noiseShape' must hold positive integers or null, received ${describe(options.noiseShape)}`);
    }
    // Keras: _build_at_init, a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor, { training = false }: CallOptions = {}): Tensor {
    if (!training || this.rate === 0) return inputs;
    const seed = this.seed === null ? undefined : (this.seed + this.draws++) >>> 0;
    if (!this.noiseShape) return dropout(inputs, this.rate, { seed });
    const maskShape = this.noiseShape.map((d, i) => d ?? inputs.shape[i]);
    return multiply(inputs, dropout(ones(maskShape), this.rate, { seed }));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }

  static fromConfig(config: Config): Dropout {
    const { rate, ...options } = layerOptionsFromConfig(config);
    return new Dropout(rate as number, options as DropoutOptions);
  }
}
