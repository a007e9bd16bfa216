/** The shared part of merge layers. Mirrors keras/src/layers/merging/base_merge.py. */
import { formatShape, type Tensor } from '../../backend/tensor.js';
import { expandDims } from '../../ops/numpy.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerInput, type LayerOptions } from '../layer.js';
import { layerOptionsFromConfig } from '../layer_options.js';

const shapes = (list: readonly LayerShape[]): string => `[${list.map(formatShape).join(', ')}]`;

/**
 * A layer combining a list of inputs elementwise. Inputs of different ranks are broadcast
 * after the batch axis: lower-rank inputs get size-1 axes inserted at axis 1, as in Keras.
 */
export abstract class Merge extends Layer {
  /** Combines inputs of equal rank. */
  protected abstract merge(inputs: readonly Tensor[]): Tensor;

  override build(inputShape: LayerShape | LayerShape[]): void {
    const list = this.shapeList(inputShape);
    const batchSizes = new Set(list.map((s) => s[0]).filter((d) => d !== null));
    if (batchSizes.size > 1) throw new Error(`Cannot merge tensors with different batch sizes. Received tensors with shapes ${shapes(list)}`);
    this.computeOutputShape(list);
    super.build(inputShape);
  }

  call(inputs: LayerInput): Tensor {
    const list = inputs as readonly Tensor[];
    const rank = Math.max(...list.map((x) => x.rank));
    return this.merge(list.map((x) => {
      let y = x;
      while (y.rank < rank) y = expandDims(y, 1);
      return y;
    }));
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const list = this.shapeList(inputShape);
    const rank = Math.max(...list.map((s) => s.length - 1));
    const out: (number | null)[] = Array<number>(rank).fill(1);
    for (const shape of list) {
      shape.slice(1).forEach((d, i) => {
        const j = rank - (shape.length - 1) + i;
        if (d === null || out[j] === null) out[j] = d === 1 ? out[j] : null;
        else if (out[j] === 1) out[j] = d;
        else if (d !== 1 && d !== out[j]) throw new Error(`Inputs have incompatible shapes. Received shapes ${shapes(list)}`);
      });
    }
    const batch = new Set(list.map((s) => s[0]).filter((d) => d !== null));
    return [batch.size === 1 ? [...batch][0] : null, ...out];
  }

  /** The input shapes as a list, or Keras's error for a layer called on one input. */
  protected shapeList(inputShape: LayerShape | LayerShape[]): LayerShape[] {
    if (!Array.isArray(inputShape[0])) {
      throw new Error(`A merge layer should be called on a list of inputs. Received: input_shape=${formatShape(inputShape as LayerShape)} ` +
        '(not a list of shapes)');
    }
    const list = inputShape as LayerShape[];
    if (list.length < 1) throw new Error('A merge layer should be called on a list of at least 1 input. Received 0 inputs.');
    return list;
  }

  static fromConfig<T extends Merge>(this: new (options: LayerOptions) => T, config: Config): T {
    return new this(layerOptionsFromConfig(config));
  }
}
