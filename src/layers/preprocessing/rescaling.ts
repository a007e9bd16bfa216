/** Rescales and offsets the input. Mirrors keras/src/layers/preprocessing/rescaling.py. */
import type { Tensor } from '../../backend/tensor.js';
import { describe } from '../../ops/checks.js';
import { cast, convertToTensor } from '../../ops/core.js';
import { add, multiply } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import { Layer, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

export interface RescalingOptions extends LayerOptions {
  /** Added after scaling. Keras: offset=0.0. */
  offset?: number | readonly number[];
}

/**
 * Rescales the input: `inputs * scale + offset`, in float32 (integer pixels become floats).
 * A list `scale` or `offset` applies per channel (the last axis).
 *
 * Args:
 *   scale: the factor, e.g. `1 / 255` to map [0, 255] to [0, 1].
 *   options: `offset` and the layer options.
 *
 * Example:
 *   new keras.layers.Rescaling(1 / 127.5, {offset: -1});   // [0, 255] -> [-1, 1]
 */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(scale: number | readonly number[], options: RescalingOptions = {}) {
    super(options);
    const numeric = (arg: string, value: unknown): number | number[] => {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new Error(`Rescaling: argument '${arg}' must be a finite number or a list of them, received ${describe(value)}`);
      }
      return Array.isArray(value) ? [...list as number[]] : value as number;
    };
    this.scale = numeric('scale', scale);
    this.offset = numeric('offset', options.offset ?? 0);
  }

  call(inputs: Tensor): Tensor {
    const x = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    return add(multiply(x, convertToTensor(this.scale)), convertToTensor(this.offset));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }

  static fromConfig(config: Config): Rescaling {
    const { scale, ...options } = layerOptionsFromConfig(config);
    return new Rescaling(scale as number | number[], options as RescalingOptions);
  }
}
