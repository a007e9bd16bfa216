/** Average pooling for 2D spatial data. Mirrors keras/src/layers/pooling/average_pooling2d.py. */
import { averagePool } from '../../ops/nn.js';
import { BasePooling, type Pooling2DOptions } from './base_pooling.js';

/**
 * Average pooling for 2D spatial data: the mean over each `poolSize` window, moved by `strides`
 * (default: the pool size). With 'same' padding, border windows average only the cells inside
 * the input. Also exported as `AvgPool2D`.
 *
 * Args:
 *   poolSize: the window (default [2, 2]), or all the options as one object.
 *   options: `strides`, `padding` ('valid' or 'same'), and the layer options.
 *
 * Input shape: `(batch, height, width, channels)`. Output shape: `(batch, pooledH, pooledW, channels)`.
 *
 * Example:
 *   new keras.layers.AveragePooling2D(2, {strides: 1}).apply(keras.ops.ones([1, 4, 4, 3])).shape;   // [1, 3, 3, 3]
 */
export class AveragePooling2D extends BasePooling {
  static override readonly className = 'AveragePooling2D';

  constructor(poolSize?: number | readonly number[] | Pooling2DOptions, options: Pooling2DOptions = {}) {
    super(averagePool, 2, poolSize, options);
  }
}
