/**
 * A symbolic tensor: a shape (None for unknown sizes) and a dtype, with no values. Calling
 * a layer on one records a node of the functional graph instead of computing.
 * Mirrors keras/src/backend/common/keras_tensor.py.
 */
import type { Node } from '../layers/node.js';
import { formatShape, type DType } from './tensor.js';

/** Where a symbolic tensor came from: output `index` of `node`. */
export interface KerasHistory {
  node: Node;
  index: number;
}

export class KerasTensor {
  readonly shape: readonly (number | null)[];
  history: KerasHistory | null = null;

  constructor(shape: readonly (number | null)[], readonly dtype: DType = 'float32', readonly name = '') {
    this.shape = Object.freeze([...shape]);
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}
