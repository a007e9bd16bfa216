/**
 * Weight penalties (keras.regularizers): L1, L2, L1L2 and OrthogonalRegularizer. Mirrors
 * keras/src/regularizers/regularizers.py. Each returns its penalty as a scalar tensor built from
 * ops, so the penalty's gradient reaches the weights.
 */
import { Tensor, formatShape } from '../backend/tensor.js';
import { convertToTensor } from '../ops/core.js';
import { abs, add, matmul, minimum, multiply, rsqrt, square, sum, transpose } from '../ops/numpy.js';
import type { Config } from '../saving/serialization_lib.js';
import { camelKeys } from '../utils/naming.js';

/**
 * Regularizer base class: a penalty on a weight, added to the loss during training.
 *
 * Subclasses implement `call` and `getConfig` (Keras's snake_case keys) and take the camelCase
 * form of those keys as constructor options, so the inherited `fromConfig` rebuilds them.
 */
export abstract class Regularizer {
  static readonly className: string = 'Regularizer';

  /** The penalty for the weight `x`, a scalar tensor. */
  abstract call(x: Tensor): Tensor;

  /** The regularizer's Keras config: JSON-serializable, snake_case keys. */
  abstract getConfig(): Config;

  /** Instantiates a regularizer from the output of `getConfig()`. */
  static fromConfig<T extends Regularizer>(this: new (options: Record<string, unknown>) => T, config: Config): T {
    return new this(camelKeys(config));
  }
}

/** `value` as a float, if a finite non-negative number (Keras: regularizers.py validate_float_arg). */
function validateFloatArg(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Invalid value for argument ${name}: expected a non-negative float. Received: ${name}=${value}`);
  }
  return value;
}

const l1Penalty = (factor: number, x: Tensor): Tensor => multiply(factor, sum(abs(x)));
const l2Penalty = (factor: number, x: Tensor): Tensor => multiply(factor, sum(square(x)));

export interface L1L2Options {
  /** L1 factor. Keras: regularizers.py L1L2 l1=0.0. */
  l1?: number | null;
  /** L2 factor. Keras: L1L2 l2=0.0. */
  l2?: number | null;
}

/**
 * A regularizer that applies both penalties: `l1 * sum(abs(x)) + l2 * sum(square(x))`.
 *
 * Example: `new keras.regularizers.L1L2({l1: 0.01, l2: 0.01})`.
 */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(options: L1L2Options = {}) {
    super();
    this.l1 = validateFloatArg(options.l1 ?? 0.0, 'l1');
    this.l2 = validateFloatArg(options.l2 ?? 0.0, 'l2');
  }

  call(x: Tensor): Tensor {
    let penalty = convertToTensor(0.0);
    if (this.l1 !== 0) penalty = add(penalty, l1Penalty(this.l1, x));
    if (this.l2 !== 0) penalty = add(penalty, l2Penalty(this.l2, x));
    return penalty;
  }

  getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * A regularizer that applies an L1 penalty: `l1 * sum(abs(x))`.
 *
 * Args:
 *   options.l1: the factor (default 0.01).
 *
 * Example: `new keras.regularizers.L1({l1: 0.001})`.
 */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  /**
   * The factor, rounded to float32: Keras keeps it as a tensor and writes `float(tensor)`, so
   * L1(0.01) saves l1=0.009999999776482582.
   */
  readonly l1: number;

  constructor(options: { l1?: number | null } = {}) {
    super();
    this.l1 = Math.fround(validateFloatArg(options.l1 ?? 0.01, 'l1')); // Keras: regularizers.py L1 l1=0.01
  }

  call(x: Tensor): Tensor {
    return l1Penalty(this.l1, x);
  }

  getConfig(): Config {
    return { l1: this.l1 };
  }
}

/**
 * A regularizer that applies an L2 penalty: `l2 * sum(square(x))`.
 *
 * Args:
 *   options.l2: the factor (default 0.01).
 *
 * Example: `new keras.regularizers.L2({l2: 0.001})`.
 */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  readonly l2: number;

  constructor(options: { l2?: number | null } = {}) {
    super();
    this.l2 = validateFloatArg(options.l2 ?? 0.01, 'l2'); // Keras: regularizers.py L2 l2=0.01
  }

  call(x: Tensor): Tensor {
    return l2Penalty(this.l2, x);
  }

  getConfig(): Config {
    return { l2: this.l2 };
  }
}

export interface OrthogonalRegularizerOptions {
  /** Weight of the penalty. Keras: regularizers.py factor=0.01. */
  factor?: number;
  /** 'rows' (default) penalizes non-orthogonal rows, 'columns' non-orthogonal columns. */
  mode?: 'rows' | 'columns';
}

/**
 * A regularizer that encourages the rows (or columns) of a 2D weight to be orthogonal: with
 * the vectors normalized to unit length, `factor * 0.5 * sum(|v_i . v_j|) / num_pairs` over the
 * pairs i != j, where num_pairs = n (n - 1) / 2 for n vectors.
 *
 * Example: `new keras.regularizers.OrthogonalRegularizer({factor: 0.01, mode: 'rows'})`.
 */
export class OrthogonalRegularizer extends Regularizer {
  static override readonly className = 'OrthogonalRegularizer';
  /** The factor, rounded to float32 as Keras stores it (a tensor). */
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  constructor(options: OrthogonalRegularizerOptions = {}) {
    super();
    this.factor = Math.fround(validateFloatArg(options.factor ?? 0.01, 'factor'));
    const mode = options.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') {
      throw new Error('Invalid value for argument `mode`. Expected one of {"rows", "columns"}. ' +
        `Received: mode=${mode}`);
    }
    this.mode = mode;
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 2) {
      throw new Error('Inputs to OrthogonalRegularizer must have rank 2. ' +
        `Received: inputs.shape=${formatShape(x.shape)}`);
    }
    const vectors = this.mode === 'rows' ? x : transpose(x);
    // keras.utils.normalize: x * min(rsqrt(sum(x^2)), 1 / epsilon), epsilon=1e-7.
    const unit = multiply(vectors, minimum(rsqrt(sum(square(vectors), 1, true)), 1e7));
    const product = matmul(unit, transpose(unit));
    const size = vectors.shape[0];
    const offDiagonal = new Float32Array(size * size).fill(1);
    for (let i = 0; i < size; i++) offDiagonal[i * size + i] = 0;
    const pairs = (size * (size - 1)) / 2;
    const total = sum(abs(multiply(product, new Tensor(offDiagonal, [size, size], 'float32'))));
    return multiply(total, (this.factor * 0.5) / pairs);
  }

  getConfig(): Config {
    return { factor: this.factor, mode: this.mode };
  }
}
