/** Concatenates a list of inputs. Mirrors keras/src/layers/merging/concatenate.py. */
import { formatShape, type Tensor } from '../../backend/tensor.js';
import { normalizeAxis } from '../../ops/checks.js';
import { concatenate } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import type { LayerInput, LayerOptions } from '../layer.js';
import { Merge } from './base_merge.js';

export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along. Keras: axis=-1. */
  axis?: number;
}

/**
 * Concatenates a list of inputs along `axis`; every other axis must match.
 *
 * Args:
 *   options: `axis` (default -1) and the layer options.
 *
 * Example:
 *   const a = keras.Input({shape: [4, 8]});
 *   const b = keras.Input({shape: [4, 2]});
 *   new keras.layers.Concatenate().apply([a, b]).shape;   // [null, 4, 10]
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    super(options);
    this.axis = options.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`Concatenate: argument 'axis' must be an integer, received ${String(options.axis)}`);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return concatenate(inputs, this.axis);
  }

  override call(inputs: LayerInput): Tensor {
    return this.merge(inputs as readonly Tensor[]);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const list = this.shapeList(inputShape);
    const rank = list[0].length;
    const axis = normalizeAxis(`Concatenate layer "${this.name}"`, this.axis, rank);
    const compatible = list.every((s) => s.length === rank &&
      s.every((d, i) => i === axis || d === null || list[0][i] === null || d === list[0][i]));
    if (!compatible) {
      throw new Error('A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. ' +
        `Received: input_shape=[${list.map(formatShape).join(', ')}]`);
    }
    const out = [...list[0]];
    out[axis] = list.some((s) => s[axis] === null) ? null : list.reduce((n, s) => n + s[axis]!, 0);
    return out;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}
