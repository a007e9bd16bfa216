/** Initializers that give fixed values. Mirrors keras/src/initializers/constant_initializers.py. */
import { Tensor, formatShape, type DType, type Shape } from '../backend/tensor.js';
import { full, ones, zeros } from '../ops/core.js';
import type { Config } from '../saving/serialization_lib.js';
import { Initializer } from './initializer.js';
import { allocate } from '../backend/workspace.js';

/**
 * Initializer that generates tensors filled with 0.
 *
 * Example: `new keras.initializers.Zeros().call([2, 3])`.
 */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    return zeros(shape, dtype);
  }
}

/**
 * Initializer that generates tensors filled with 1.
 *
 * Example: `new keras.initializers.Ones().call([2, 3])`.
 */
export class Ones extends Initializer {
  static override readonly className = 'Ones';

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    return ones(shape, dtype);
  }
}

export interface ConstantOptions {
  /** The fill value. Keras: constant_initializers.py value=0.0. */
  value?: number;
}

/**
 * Initializer that generates tensors filled with a constant value.
 *
 * Args:
 *   options.value: the fill value (default 0).
 *
 * Example: `new keras.initializers.Constant({value: 3}).call([2, 3])`.
 */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  readonly value: number;

  constructor(options: ConstantOptions = {}) {
    super();
    this.value = options.value ?? 0.0;
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    return full(shape, this.value, dtype);
  }

  override getConfig(): Config {
    return { value: this.value };
  }
}

export interface IdentityOptions {
  /** Multiplies the identity matrix. Keras: constant_initializers.py gain=1.0. */
  gain?: number;
}

/**
 * Initializer that generates the identity matrix, times `gain`; 2D shapes only (a non-square
 * shape gets ones on the main diagonal).
 *
 * Example: `new keras.initializers.Identity({gain: 2}).call([3, 3])`.
 */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  readonly gain: number;

  constructor(options: IdentityOptions = {}) {
    super();
    this.gain = options.gain ?? 1.0;
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    if (shape.length !== 2) {
      throw new Error('Identity matrix initializer can only be used for 2D matrices. ' +
        `Received: shape=${formatShape(shape)} of rank ${shape.length}.`);
    }
    const [rows, cols] = shape;
    const values = allocate(dtype, rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = this.gain;
    return new Tensor(values, shape, dtype);
  }

  override getConfig(): Config {
    return { gain: this.gain };
  }
}
