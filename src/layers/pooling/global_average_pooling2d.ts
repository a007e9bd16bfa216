/** Global average pooling for 2D data. Mirrors keras/src/layers/pooling/global_average_pooling2d.py. */
import { mean } from '../../ops/numpy.js';
import { BaseGlobalPooling, type GlobalPoolingOptions } from './base_global_pooling.js';

/**
 * Global average pooling for 2D data: the mean over height and width of each channel.
 *
 * Args:
 *   options: `keepdims` (keep the spatial axes with size 1; default false) and the layer options.
 *
 * Input shape: `(batch, height, width, channels)`. Output shape: `(batch, channels)`, or
 * `(batch, 1, 1, channels)` with `keepdims`.
 *
 * Example:
 *   new keras.layers.GlobalAveragePooling2D().apply(keras.ops.ones([2, 4, 5, 3])).shape;   // [2, 3]
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';

  constructor(options: GlobalPoolingOptions = {}) {
    super(mean, 2, options);
  }
}
