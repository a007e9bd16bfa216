/**
 * Activation functions (keras.activations). Mirrors keras/src/activations/activations.py: each
 * is a composition of keras.ops, so each records its gradient through the ops it uses.
 */
import { Tensor } from '../backend/tensor.js';
import { fail, normalizeAxis } from '../ops/checks.js';
import * as ops from '../ops/index.js';
import type { TensorLike } from '../ops/index.js';
import { newFloat32Array } from '../backend/workspace.js';

/** An activation: a function of one tensor (further arguments keep their defaults). */
export type Activation = (x: Tensor, ...args: never[]) => Tensor;

/** `x` as a float32 tensor. */
function float(x: TensorLike): Tensor {
  const t = ops.convertToTensor(x);
  return t.dtype === 'float32' ? t : ops.cast(t, 'float32');
}

/** 1 where `condition` holds, else 0, as float32: a constant factor that lets gradients through where it is 1. */
function mask(condition: Tensor): Tensor {
  return ops.cast(condition, 'float32');
}

export interface ReluOptions {
  /** Slope for values below the threshold. Keras: activations.py negative_slope=0.0. */
  negativeSlope?: number;
  /** Largest value returned (saturation), or null for none. Keras: max_value=None. */
  maxValue?: number | null;
  /** Values at or below it are damped or set to zero. Keras: threshold=0.0. */
  threshold?: number;
}

/**
 * Rectified linear unit: `max(x, 0)` with the default options.
 *
 * Args:
 *   x: input tensor.
 *   options: `negativeSlope` (slope below the threshold), `maxValue` (saturation value) and
 *     `threshold` (values at or below it are damped or zeroed).
 *
 * Returns:
 *   A tensor of the same shape as `x`.
 *
 * Example:
 *   relu([-10, -5, 0, 5, 10], {negativeSlope: 0.5})   // [-5, -2.5, 0, 5, 10]
 *   relu([-10, -5, 0, 5, 10], {maxValue: 5})          // [0, 0, 0, 5, 5]
 *   relu([-10, -5, 0, 5, 10], {threshold: 5})         // [-0, -0, 0, 0, 10]
 */
export function relu(x: TensorLike, options: ReluOptions = {}): Tensor {
  const { negativeSlope = 0, maxValue = null, threshold = 0 } = options;
  const t = float(x);
  // The branches follow ReLU.static_call in keras/src/activations/activations.py.
  if (negativeSlope !== 0 && maxValue === null && threshold === 0) return ops.leakyRelu(t, negativeSlope);
  const negativePart = negativeSlope === 0 ? null : ops.relu(ops.add(ops.negative(t), threshold));
  let y: Tensor;
  let clipMax = maxValue !== null;
  if (threshold !== 0) {
    y = ops.multiply(t, mask(ops.greater(t, threshold)));
  } else if (maxValue === 6) {
    y = ops.relu6(t);
    clipMax = false;
  } else {
    y = ops.relu(t);
  }
  if (clipMax) y = ops.clip(y, 0, maxValue!);
  return negativePart ? ops.subtract(y, ops.multiply(negativeSlope, negativePart)) : y;
}

/** Leaky ReLU: `x` for `x >= 0`, `negativeSlope * x` below. Keras: negative_slope=0.2. */
export const leakyRelu = (x: TensorLike, negativeSlope = 0.2): Tensor => ops.leakyRelu(x, negativeSlope);

/** ReLU capped at 6: `min(max(x, 0), 6)`. */
export const relu6 = (x: TensorLike): Tensor => ops.relu6(x);

/**
 * Softmax: `exp(x) / sum(exp(x))` along `axis`, turning log-odds into a probability
 * distribution.
 *
 * Args:
 *   x: input tensor.
 *   axis: the axis the softmax runs along (default the last).
 */
export const softmax = (x: TensorLike, axis = -1): Tensor => ops.softmax(x, axis);

/** Log-softmax: `log(softmax(x))` along `axis` (default the last), computed stably. */
export const logSoftmax = (x: TensorLike, axis = -1): Tensor => ops.logSoftmax(x, axis);

/** Exponential linear unit: `x` for `x >= 0`, `alpha * (exp(x) - 1)` below. Keras: alpha=1.0. */
export const elu = (x: TensorLike, alpha = 1.0): Tensor => ops.elu(x, alpha);

/**
 * Scaled exponential linear unit: `scale * elu(x, alpha)` with alpha=1.67326324 and
 * scale=1.05070098. Use it with the LecunNormal initializer.
 */
export const selu = (x: TensorLike): Tensor => ops.selu(x);

/**
 * Continuously differentiable exponential linear unit:
 * `max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)`. Keras: alpha=1.0.
 */
export function celu(x: TensorLike, alpha = 1.0): Tensor {
  const t = float(x);
  return ops.add(ops.maximum(t, 0), ops.multiply(alpha, ops.expm1(ops.divide(ops.minimum(t, 0), alpha))));
}

/** Softplus: `log(exp(x) + 1)`. */
export const softplus = (x: TensorLike): Tensor => ops.softplus(x);

/** Softsign: `x / (abs(x) + 1)`. */
export const softsign = (x: TensorLike): Tensor => ops.softsign(x);

/** Squareplus: `(x + sqrt(x^2 + b)) / 2`, `b` the smoothness. Keras: b=4. */
export function squareplus(x: TensorLike, b = 4): Tensor {
  const t = float(x);
  return ops.divide(ops.add(t, ops.sqrt(ops.add(ops.square(t), b))), 2);
}

/** Soft shrink: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0. Keras: threshold=0.5. */
export function softShrink(x: TensorLike, threshold = 0.5): Tensor {
  const t = float(x);
  return ops.subtract(t, ops.clip(t, -threshold, threshold));
}

/** SparsePlus: 0 for `x <= -1`, `(x + 1)^2 / 4` for `-1 < x < 1`, `x` for `x >= 1`. */
export function sparsePlus(x: TensorLike): Tensor {
  const t = float(x);
  const inner = ops.add(ops.clip(t, -1, 1), 1);
  return ops.add(ops.divide(ops.square(inner), 4), ops.relu(ops.subtract(t, 1)));
}

/** Swish (SiLU): `x * sigmoid(x)`. Also exported as `swish`. */
export const silu = (x: TensorLike): Tensor => ops.silu(x);
export const swish = silu;

/**
 * Gaussian error linear unit: `x * P(X <= x)` for X ~ N(0, 1), i.e.
 * `0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate` the tanh approximation. Keras:
 * activations.py approximate=False (keras.ops.gelu defaults to True).
 */
export const gelu = (x: TensorLike, approximate = false): Tensor => ops.gelu(x, approximate);

/**
 * Gated linear unit: `a * sigmoid(b)` where `a` and `b` are the two halves of `x` along `axis`
 * (default the last), whose size must be even.
 */
export function glu(x: TensorLike, axis = -1): Tensor {
  const t = float(x);
  const a = normalizeAxis('glu', axis, t.rank);
  const half = t.shape[a] / 2;
  if (!Number.isInteger(half)) {
    fail('glu', `axis size must be divisible by 2. Received: x.shape=${formatTuple(t.shape)} with axis=${axis}`);
  }
  const size = t.shape.map((d, i) => (i === a ? half : d));
  const start = (offset: number): number[] => t.shape.map((_, i) => (i === a ? offset : 0));
  return ops.multiply(ops.slice(t, start(0), size), ops.sigmoid(ops.slice(t, start(half), size)));
}

function formatTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Hyperbolic tangent: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`. */
export const tanh = (x: TensorLike): Tensor => ops.tanh(x);

/** Tanh shrink: `x - tanh(x)`. */
export function tanhShrink(x: TensorLike): Tensor {
  const t = float(x);
  return ops.subtract(t, ops.tanh(t));
}

/** Threshold: `x` where `x > threshold`, else `defaultValue`. */
export function threshold(x: TensorLike, threshold: number, defaultValue: number): Tensor {
  const t = float(x);
  const keep = mask(ops.greater(t, threshold));
  return ops.add(ops.multiply(t, keep), ops.multiply(defaultValue, ops.subtract(1, keep)));
}

/** Sigmoid: `1 / (1 + exp(-x))`, a 2-element softmax whose second logit is 0. */
export const sigmoid = (x: TensorLike): Tensor => ops.sigmoid(x);

/** Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`. */
export function sparseSigmoid(x: TensorLike): Tensor {
  return ops.multiply(ops.add(ops.clip(float(x), -1, 1), 1), 0.5);
}

/** Exponential: `exp(x)`. */
export const exponential = (x: TensorLike): Tensor => ops.exp(x);

/** Hard sigmoid: 0 for `x <= -3`, 1 for `x >= 3`, `x / 6 + 0.5` between; piecewise linear. */
export const hardSigmoid = (x: TensorLike): Tensor => ops.hardSigmoid(x);

/** Hard SiLU (hard swish): `x * hardSigmoid(x)`. Also exported as `hardSwish`. */
export const hardSilu = (x: TensorLike): Tensor => ops.hardSilu(x);
export const hardSwish = hardSilu;

/** Hard tanh: `x` clipped to [-1, 1]. */
export const hardTanh = (x: TensorLike): Tensor => ops.clip(float(x), -1, 1);

/** Hard shrink: `x` where `abs(x) > threshold`, else 0. Keras: threshold=0.5. */
export function hardShrink(x: TensorLike, threshold = 0.5): Tensor {
  const t = float(x);
  // Adding 0 turns the -0 of zeroed negative values into the 0 Keras's `where` gives.
  return ops.add(ops.multiply(t, mask(ops.greater(ops.abs(t), threshold))), 0);
}

/** Linear (identity): returns its input unchanged. */
export const linear = (x: TensorLike): Tensor => ops.convertToTensor(x);

/** Mish: `x * tanh(softplus(x))`. */
export function mish(x: TensorLike): Tensor {
  const t = float(x);
  return ops.multiply(t, ops.tanh(ops.softplus(t)));
}

/** Log-sigmoid: `log(1 / (1 + exp(-x)))`, computed as `-softplus(-x)`. */
export const logSigmoid = (x: TensorLike): Tensor => ops.negative(ops.softplus(ops.negative(float(x))));

/**
 * Sparsemax along `axis` (default the last): `max(x - tau, 0)` with the threshold `tau` found
 * from the values sorted in decreasing order.
 *
 * Keras quirk kept on purpose (keras/src/backend/{numpy,jax,torch}/nn.py sparsemax): `tau` is
 * `(sum of the cumulative sums over the support - 1) / k`, not the paper's
 * `(cumulative sum at k - 1) / k`, so rows with a support of two or more values do not sum to 1.
 * Written as `(sum(w * x) - 1) / k`, where `w` gives the i-th largest value of the support the
 * weight k - i; the support and `w` are constants, so the gradient flows through `x` and `tau`.
 */
export function sparsemax(x: TensorLike, axis = -1): Tensor {
  const t = float(x);
  const a = normalizeAxis('sparsemax', axis, t.rank);
  const n = t.shape[a];
  const inner = t.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = t.size / (n * inner);
  const weights = newFloat32Array(t.size);
  const support = newFloat32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const index = (j: number): number => (o * n + j) * inner + i;
      const order = Array.from({ length: n }, (_, j) => j).sort((p, q) => t.values[index(q)] - t.values[index(p)]);
      let k = 0;
      let cumsum = 0;
      for (let r = 0; r < n; r++) {
        cumsum += t.values[index(order[r])];
        if (t.values[index(order[r])] - (cumsum - 1) / (r + 1) > 0) k++;
      }
      for (let r = 0; r < k; r++) weights[index(order[r])] = k - r;
      support[o * inner + i] = k;
    }
  }
  const keptShape = t.shape.map((d, i) => (i === a ? 1 : d));
  const weighted = ops.sum(ops.multiply(t, new Tensor(weights, t.shape, 'float32')), a, true);
  const tau = ops.divide(ops.subtract(weighted, 1), new Tensor(support, keptShape, 'float32'));
  return ops.maximum(ops.subtract(t, tau), 0);
}
