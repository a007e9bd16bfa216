/** Global max pooling for 2D data. Mirrors keras/src/layers/pooling/global_max_pooling2d.py. */
import { max } from '../../ops/numpy.js';
import { BaseGlobalPooling, type GlobalPoolingOptions } from './base_global_pooling.js';

/**
 * Global max pooling for 2D data: the maximum over height and width of each channel.
 *
 * Args:
 *   options: `keepdims` (keep the spatial axes with size 1; default false) and the layer options.
 *
 * Input shape: `(batch, height, width, channels)`. Output shape: `(batch, channels)`, or
 * `(batch, 1, 1, channels)` with `keepdims`.
 *
 * Example:
 *   new keras.layers.GlobalMaxPooling2D().apply(keras.ops.ones([2, 4, 5, 3])).shape;   // [2, 3]
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(max, 2, options);
  }
}
