/**
 * What a layer accepts: rank and the sizes of some axes. Mirrors keras/src/layers/input_spec.py;
 * the messages use the wording of the spec ('Input 0 of layer "conv2d" ...').
 */
import { formatShape } from '../backend/tensor.js';

export type LayerShape = readonly (number | null)[];

export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes by axis (negative axes count from the end). */
  axes?: Record<number, number>;
}

export function assertInputCompatibility(specs: readonly (InputSpec | null)[], shapes: readonly LayerShape[], layerName: string): void {
  if (specs.length !== shapes.length) {
    throw new Error(`Layer "${layerName}" expects ${specs.length} input(s), but it received ${shapes.length} input tensors.`);
  }
  specs.forEach((spec, i) => {
    if (!spec) return;
    const shape = shapes[i];
    const prefix = `Input ${i} of layer "${layerName}" is incompatible with the layer`;
    const full = `Full shape received: ${formatShape(shape)}`;
    if (spec.ndim !== undefined && shape.length !== spec.ndim) {
      throw new Error(`${prefix}: expected ndim=${spec.ndim}, found ndim=${shape.length}. ${full}`);
    }
    if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
      throw new Error(`${prefix}: expected min_ndim=${spec.minNdim}, found ndim=${shape.length}. ${full}`);
    }
    if (spec.maxNdim !== undefined && shape.length > spec.maxNdim) {
      throw new Error(`${prefix}: expected max_ndim=${spec.maxNdim}, found ndim=${shape.length}. ${full}`);
    }
    for (const [key, value] of Object.entries(spec.axes ?? {})) {
      const axis = Number(key);
      const dim = shape[axis < 0 ? shape.length + axis : axis];
      if (dim !== null && dim !== value) {
        throw new Error(`${prefix}: expected axis ${axis} of input shape to have value ${value}, ` +
          `but received input with shape ${formatShape(shape)}`);
      }
    }
  });
}
