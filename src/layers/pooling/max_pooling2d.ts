/** Max pooling for 2D spatial data. Mirrors keras/src/layers/pooling/max_pooling2d.py. */
import { maxPool } from '../../ops/nn.js';
import { BasePooling, type Pooling2DOptions } from './base_pooling.js';

/**
 * Max pooling for 2D spatial data: the maximum over each `poolSize` window, moved by `strides`
 * (default: the pool size). Also exported as `MaxPool2D`.
 *
 * Args:
 *   poolSize: the window (default [2, 2]), or all the options as one object.
 *   options: `strides`, `padding` ('valid' or 'same'), and the layer options.
 *
 * Input shape: `(batch, height, width, channels)`. Output shape: `(batch, pooledH, pooledW, channels)`.
 *
 * Example:
 *   new keras.layers.MaxPooling2D().apply(keras.ops.ones([1, 26, 26, 32])).shape;   // [1, 13, 13, 32]
 *   new keras.layers.MaxPooling2D(3, {strides: 1, padding: 'same'});
 */
export class MaxPooling2D extends BasePooling {
  static override readonly className = 'MaxPooling2D';

  constructor(poolSize?: number | readonly number[] | Pooling2DOptions, options: Pooling2DOptions = {}) {
    super(maxPool, 2, poolSize, options);
  }
}
