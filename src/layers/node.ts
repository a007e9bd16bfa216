/** One application of a layer to symbolic inputs: an edge set of the functional graph (keras/src/ops/node.py). */
import type { KerasTensor } from '../backend/keras_tensor.js';
import type { Layer } from './layer.js';

export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly KerasTensor[],
    readonly outputs: readonly KerasTensor[],
  ) {}
}
