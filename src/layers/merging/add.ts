/** Adds a list of inputs. Mirrors keras/src/layers/merging/add.py. */
import type { Tensor } from '../../backend/tensor.js';
import { add } from '../../ops/numpy.js';
import { Merge } from './base_merge.js';

/**
 * Performs elementwise addition of a list of inputs of the same shape (or broadcastable
 * shapes), returning one tensor of that shape.
 *
 * Args:
 *   options: the layer options.
 *
 * Example:
 *   const x1 = keras.Input({shape: [16]});
 *   const x2 = keras.Input({shape: [16]});
 *   const y = new keras.layers.Add().apply([x1, x2]);   // shape [null, 16]
 */
export class Add extends Merge {
  static override readonly className = 'Add';

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((sum, x) => add(sum, x), inputs[0]);
  }
}
