/**
 * Initializers that draw random values: RandomNormal, TruncatedNormal, RandomUniform, the
 * VarianceScaling family (Glorot, He, Lecun) and Orthogonal. Mirrors
 * keras/src/initializers/random_initializers.py.
 */
import { Tensor, formatShape, sizeOf, type DType, type Shape } from '../backend/tensor.js';
import { reshape } from '../ops/core.js';
import { multiply, transpose } from '../ops/numpy.js';
import { normal, truncatedNormal, uniform } from '../random/random.js';
import { drawSeed } from '../random/seed_generator.js';
import type { Config } from '../saving/serialization_lib.js';
import { Initializer } from './initializer.js';

/**
 * Base of the random initializers. As in Keras 3, an initializer made without a seed draws one
 * from the global seed stream when it is constructed (so `keras.utils.setRandomSeed` makes it
 * reproducible), and every call of one initializer returns the same values.
 */
abstract class RandomInitializer extends Initializer {
  /** The seed every call uses. */
  readonly seed: number;
  /** The seed as given (null when drawn), which is what the config records. */
  private readonly initSeed: number | null;

  constructor(seed: number | null | undefined) {
    super();
    if (seed !== null && seed !== undefined && !Number.isInteger(seed)) {
      throw new Error(`\`seed\` argument should be an integer. Received: seed=${seed}`);
    }
    this.initSeed = seed ?? null;
    this.seed = seed ?? drawSeed((this.constructor as typeof Initializer).className);
  }

  /** Checks that `dtype` is float32: the random ops only draw floats. */
  protected floatDType(dtype: DType): void {
    if (dtype !== 'float32') {
      throw new Error(`${(this.constructor as typeof Initializer).className}: random initializers produce float32 ` +
        `tensors, received dtype='${dtype}'`);
    }
  }

  override getConfig(): Config {
    return { seed: this.initSeed };
  }
}

export interface NormalOptions {
  /** Mean of the values. Keras: random_initializers.py mean=0.0. */
  mean?: number;
  /** Standard deviation of the (untruncated) values. Keras: stddev=0.05. */
  stddev?: number;
  /** Integer seed; without one, a seed is drawn from the global stream at construction. */
  seed?: number | null;
}

/** RandomNormal and TruncatedNormal: a mean and a standard deviation. */
abstract class NormalInitializer extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;

  constructor(options: NormalOptions) {
    super(options.seed);
    this.mean = options.mean ?? 0.0;
    this.stddev = options.stddev ?? 0.05;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/**
 * Random normal initializer: values drawn from a normal distribution.
 *
 * Args:
 *   options.mean: mean of the values (default 0).
 *   options.stddev: standard deviation (default 0.05).
 *   options.seed: integer seed; an initializer given a seed, or given none, returns the same
 *     values on every call.
 *
 * Example: `new keras.initializers.RandomNormal({mean: 0, stddev: 1}).call([2, 2])`.
 */
export class RandomNormal extends NormalInitializer {
  static override readonly className = 'RandomNormal';

  constructor(options: NormalOptions = {}) {
    super(options);
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    this.floatDType(dtype);
    return normal(shape, { mean: this.mean, stddev: this.stddev, seed: this.seed });
  }
}

/**
 * Truncated normal initializer: normal values redrawn when more than two standard deviations
 * from the mean. Recommended for neural-network weights.
 *
 * Args:
 *   options.mean, options.stddev, options.seed: as for RandomNormal (defaults 0, 0.05, none).
 *
 * Example: `new keras.initializers.TruncatedNormal({stddev: 1}).call([2, 2])`.
 */
export class TruncatedNormal extends NormalInitializer {
  static override readonly className = 'TruncatedNormal';

  constructor(options: NormalOptions = {}) {
    super(options);
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    this.floatDType(dtype);
    return truncatedNormal(shape, { mean: this.mean, stddev: this.stddev, seed: this.seed });
  }
}

export interface UniformOptions {
  /** Lower bound of the range. Keras: random_initializers.py minval=-0.05. */
  minval?: number;
  /** Upper bound (excluded). Keras: maxval=0.05. */
  maxval?: number;
  /** Integer seed; without one, a seed is drawn from the global stream at construction. */
  seed?: number | null;
}

/**
 * Random uniform initializer: values uniform in [minval, maxval).
 *
 * Example: `new keras.initializers.RandomUniform({minval: 0, maxval: 1}).call([2, 2])`.
 */
export class RandomUniform extends RandomInitializer {
  static override readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(options: UniformOptions = {}) {
    super(options.seed);
    this.minval = options.minval ?? -0.05;
    this.maxval = options.maxval ?? 0.05;
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    this.floatDType(dtype);
    return uniform(shape, { minval: this.minval, maxval: this.maxval, seed: this.seed });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

/**
 * Keras's fan-in and fan-out of a weight of `shape` (compute_fans). Dense kernels (in, out) give
 * (in, out); convolution kernels (...spatial, in, out) multiply both by the receptive field, the
 * product of the spatial sizes; a vector gives its length twice and a scalar 1. With both
 * `inputAxes` and `outputAxes`, the fans are the products of the sizes on those axes.
 */
export function computeFans(shape: Shape, inputAxes: readonly number[] | null = null,
  outputAxes: readonly number[] | null = null): [number, number] {
  const at = (axis: number): number => shape[axis < 0 ? axis + shape.length : axis];
  if (inputAxes !== null && outputAxes !== null) {
    return [inputAxes.reduce((p, a) => p * at(a), 1), outputAxes.reduce((p, a) => p * at(a), 1)];
  }
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptiveField = sizeOf(shape.slice(0, -2));
  return [at(-2) * receptiveField, at(-1) * receptiveField];
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** 'normal' is accepted as a synonym of 'truncated_normal'. */
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform' | 'normal';

export interface VarianceScalingAxesOptions {
  /** Integer seed; without one, a seed is drawn from the global stream at construction. */
  seed?: number | null;
  /** Axes whose sizes multiply to the fan-in (used only with `outputAxes`). Keras: input_axes=None. */
  inputAxes?: readonly number[] | null;
  /** Axes whose sizes multiply to the fan-out (used only with `inputAxes`). Keras: output_axes=None. */
  outputAxes?: readonly number[] | null;
}

export interface VarianceScalingOptions extends VarianceScalingAxesOptions {
  /** Scaling factor, positive. Keras: random_initializers.py scale=1.0. */
  scale?: number;
  /** Which fan divides the scale. Keras: mode="fan_in". */
  mode?: FanMode;
  /** Keras: distribution="truncated_normal". */
  distribution?: ScalingDistribution;
}

const MODES: readonly string[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly string[] = ['uniform', 'truncated_normal', 'untruncated_normal'];
/** Standard deviation of a unit normal truncated to [-2, 2]. Keras: random_initializers.py. */
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * Initializer that adapts its scale to the shape of the weight.
 *
 * With `distribution` "truncated_normal" or "untruncated_normal", values are drawn around 0 with
 * standard deviation `sqrt(scale / n)` (the truncated draw is widened by 1 / 0.8796 so its
 * standard deviation comes out right); with "uniform", from [-limit, limit) with
 * `limit = sqrt(3 * scale / n)`. `n` is the fan-in, the fan-out or their average, by `mode`.
 *
 * Args:
 *   options.scale: positive scaling factor (default 1).
 *   options.mode: 'fan_in' (default), 'fan_out' or 'fan_avg'.
 *   options.distribution: 'truncated_normal' (default; 'normal' means the same),
 *     'untruncated_normal' or 'uniform'.
 *   options.seed: integer seed.
 *   options.inputAxes, options.outputAxes: axes giving the fans, instead of Keras's layout rules.
 *
 * Example: `new keras.initializers.VarianceScaling({scale: 0.1, mode: 'fan_in', distribution: 'uniform'})`.
 */
export class VarianceScaling extends RandomInitializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Exclude<ScalingDistribution, 'normal'>;
  readonly inputAxes: readonly number[] | null;
  readonly outputAxes: readonly number[] | null;

  constructor(options: VarianceScalingOptions = {}) {
    const { scale = 1.0, mode = 'fan_in', distribution = 'truncated_normal' } = options;
    if (!(scale > 0)) throw new Error(`Argument \`scale\` must be positive float. Received: scale=${scale}`);
    if (!MODES.includes(mode)) {
      throw new Error(`Invalid \`mode\` argument: ${mode}. Please use one of {'${MODES.join("', '")}'}`);
    }
    const lowered = String(distribution).toLowerCase();
    const resolved = lowered === 'normal' ? 'truncated_normal' : lowered;
    if (!DISTRIBUTIONS.includes(resolved)) {
      throw new Error(`Invalid \`distribution\` argument: ${resolved}. ` +
        `Please use one of {'${DISTRIBUTIONS.join("', '")}'}`);
    }
    super(options.seed);
    this.scale = scale;
    this.mode = mode;
    this.distribution = resolved as VarianceScaling['distribution'];
    this.inputAxes = options.inputAxes ?? null;
    this.outputAxes = options.outputAxes ?? null;
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    this.floatDType(dtype);
    const [fanIn, fanOut] = computeFans(shape, this.inputAxes, this.outputAxes);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, fan);
    if (this.distribution === 'truncated_normal') {
      return truncatedNormal(shape, { stddev: Math.sqrt(scale) / TRUNCATED_STDDEV, seed: this.seed });
    }
    if (this.distribution === 'untruncated_normal') return normal(shape, { stddev: Math.sqrt(scale), seed: this.seed });
    const limit = Math.sqrt(3 * scale);
    return uniform(shape, { minval: -limit, maxval: limit, seed: this.seed });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(), scale: this.scale, mode: this.mode, distribution: this.distribution,
      input_axes: this.inputAxes, output_axes: this.outputAxes,
    };
  }
}

/** A VarianceScaling with a fixed scale, mode and distribution: its config holds only the seed and axes. */
abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): Config {
    const { seed, input_axes, output_axes } = super.getConfig();
    return { seed, input_axes, output_axes };
  }
}

/**
 * Glorot (Xavier) uniform initializer: uniform in [-limit, limit) with
 * `limit = sqrt(6 / (fan_in + fan_out))`. The default kernel initializer of Dense and Conv layers.
 *
 * Example: `new keras.initializers.GlorotUniform({seed: 1}).call([784, 10])`.
 */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className = 'GlorotUniform';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 1.0, mode: 'fan_avg', distribution: 'uniform' }); // Keras: GlorotUniform
  }
}

/**
 * Glorot (Xavier) normal initializer: truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))`.
 *
 * Example: `new keras.initializers.GlorotNormal({seed: 1}).call([784, 10])`.
 */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className = 'GlorotNormal';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 1.0, mode: 'fan_avg', distribution: 'truncated_normal' }); // Keras: GlorotNormal
  }
}

/**
 * Lecun normal initializer: truncated normal with `stddev = sqrt(1 / fan_in)`. Pairs with selu.
 *
 * Example: `new keras.initializers.LecunNormal({seed: 1}).call([784, 10])`.
 */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className = 'LecunNormal';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 1.0, mode: 'fan_in', distribution: 'truncated_normal' }); // Keras: LecunNormal
  }
}

/**
 * Lecun uniform initializer: uniform in [-limit, limit) with `limit = sqrt(3 / fan_in)`.
 *
 * Example: `new keras.initializers.LecunUniform({seed: 1}).call([784, 10])`.
 */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className = 'LecunUniform';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 1.0, mode: 'fan_in', distribution: 'uniform' }); // Keras: LecunUniform
  }
}

/**
 * He normal initializer: truncated normal with `stddev = sqrt(2 / fan_in)`. Suits relu layers.
 *
 * Example: `new keras.initializers.HeNormal({seed: 1}).call([3, 3, 16, 32])`.
 */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className = 'HeNormal';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 2.0, mode: 'fan_in', distribution: 'truncated_normal' }); // Keras: HeNormal
  }
}

/**
 * He uniform initializer: uniform in [-limit, limit) with `limit = sqrt(6 / fan_in)`.
 *
 * Example: `new keras.initializers.HeUniform({seed: 1}).call([3, 3, 16, 32])`.
 */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className = 'HeUniform';

  constructor(options: VarianceScalingAxesOptions = {}) {
    super({ ...options, scale: 2.0, mode: 'fan_in', distribution: 'uniform' }); // Keras: HeUniform
  }
}

export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix. Keras: random_initializers.py gain=1.0. */
  gain?: number;
  /** Integer seed; without one, a seed is drawn from the global stream at construction. */
  seed?: number | null;
}

/**
 * Orthogonal initializer: a random orthogonal matrix times `gain`. The shape is read as a matrix
 * of (product of all but the last dimension) rows and (last dimension) columns; its rows (or
 * columns, whichever are fewer) are orthonormal. As in Keras, the matrix is the Q factor of a
 * normal random matrix, with the signs that make R's diagonal positive.
 *
 * Example: `new keras.initializers.Orthogonal({gain: 1, seed: 1}).call([64, 64])`.
 */
export class Orthogonal extends RandomInitializer {
  static override readonly className = 'Orthogonal';
  readonly gain: number;

  constructor(options: OrthogonalOptions = {}) {
    super(options.seed);
    this.gain = options.gain ?? 1.0;
  }

  call(shape: Shape, dtype: DType = 'float32'): Tensor {
    this.floatDType(dtype);
    if (shape.length < 2) {
      throw new Error('The tensor to initialize must be at least two-dimensional. ' +
        `Received: shape=${formatShape(shape)} of rank ${shape.length}.`);
    }
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const [m, n] = [Math.max(rows, cols), Math.min(rows, cols)];
    const q = orthonormalColumns(normal([m, n], { seed: this.seed }).values as Float32Array, m, n);
    const matrix = new Tensor(q, [m, n], 'float32');
    return multiply(reshape(rows < cols ? transpose(matrix) : matrix, shape), this.gain);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), gain: this.gain };
  }
}

/**
 * Q of the QR factorization of the m x n (m >= n) row-major matrix `a`, with R's diagonal
 * positive, by modified Gram-Schmidt in float64.
 */
function orthonormalColumns(a: Float32Array, m: number, n: number): Float32Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + k] * q[i * n + j];
      for (let i = 0; i < m; i++) q[i * n + j] -= dot * q[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j] /= norm;
  }
  return Float32Array.from(q);
}
