/**
 * A named, mutable slot holding a tensor: layer weights, optimizer state, metric state.
 * Mirrors keras/src/backend/common/variables.py (KerasVariable). Assigning replaces the held
 * tensor; tensors themselves stay immutable. Held values always live on the JS heap.
 */
import { Tensor, formatShape, type DType, type Shape } from './tensor.js';
import { onHeap } from './workspace.js';

export interface VariableOptions {
  name: string;
  trainable?: boolean;
  /** 'layer_name/weight_name': how saving and optimizers refer to it (Keras's variable.path). */
  path?: string;
}

export class Variable {
  readonly name: string;
  readonly path: string;
  trainable: boolean;
  private current: Tensor;

  constructor(initial: Tensor, options: VariableOptions) {
    this.current = onHeap(initial);
    this.name = options.name;
    this.path = options.path ?? options.name;
    this.trainable = options.trainable ?? true;
  }

  get value(): Tensor {
    return this.current;
  }

  get shape(): Shape {
    return this.current.shape;
  }

  get dtype(): DType {
    return this.current.dtype;
  }

  /** Replaces the value; the new one must have the same shape (and is cast to the same dtype). */
  assign(value: Tensor): void {
    if (value.rank !== this.current.rank || value.shape.some((d, i) => d !== this.current.shape[i])) {
      throw new Error(`Variable '${this.path}': cannot assign a value of shape ${formatShape(value.shape)} ` +
        `to a variable of shape ${formatShape(this.current.shape)}`);
    }
    if (value.dtype !== this.current.dtype) {
      throw new Error(`Variable '${this.path}': cannot assign a ${value.dtype} value to a ${this.current.dtype} variable`);
    }
    // A value computed in a training step's workspace dies with the step; a variable outlives it.
    this.current = onHeap(value);
  }

  /** A copy of the values (Keras's variable.numpy()). */
  numpy(): Tensor {
    return new Tensor(this.current.dataSync(), this.current.shape, this.current.dtype);
  }
}
