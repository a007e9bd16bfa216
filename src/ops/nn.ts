/**
 * Neural-network ops: activations, softmax, convolution, pooling, batch normalization and
 * cross-entropies. Mirrors keras/src/ops/nn.py.
 */
import { kernels } from '../backend/engine.js';
import { record } from '../backend/tape.js';
import { Tensor, formatShape, sizeOf, type Shape } from '../backend/tensor.js';
import type { AxisParams, Conv2DParams, FusedActivation, Pool2DParams } from '../engine/kernels.js';
import { assertRank, assertTensor, fail, intTuple, normalizeAxis } from './checks.js';
import { cast, convertToTensor, reshape, type TensorLike } from './core.js';
import {
  abs, add, clip, divide, exp, floatTensor, floats, log, log1p, maximum, mean, multiply, negative, square, subtract, sum,
  unary, type Axis,
} from './numpy.js';
import { window1D, type Padding } from './operation_utils.js';
import { kernelOutput, newFloat32Array } from '../backend/workspace.js';

/** Keras's fuzz factor, keras.config.epsilon(). */
export const EPSILON = 1e-7;

// ---- Activations -----------------------------------------------------------------------------

export const relu = (x: TensorLike): Tensor => unary('relu', 'relu', x);
export const relu6 = (x: TensorLike): Tensor => unary('relu6', 'relu6', x);
export const sigmoid = (x: TensorLike): Tensor => unary('sigmoid', 'sigmoid', x);
export const softplus = (x: TensorLike): Tensor => unary('softplus', 'softplus', x);
export const softsign = (x: TensorLike): Tensor => unary('softsign', 'softsign', x);
export const silu = (x: TensorLike): Tensor => unary('silu', 'silu', x);
export const swish = silu;
export const selu = (x: TensorLike): Tensor => unary('selu', 'selu', x);
/** Keras: relu6(x + 3) / 6. */
export const hardSigmoid = (x: TensorLike): Tensor => unary('hardSigmoid', 'hard_sigmoid', x);
export const hardSilu = (x: TensorLike): Tensor => unary('hardSilu', 'hard_silu', x);
export const hardSwish = hardSilu;
/** Keras: ops.elu(x, alpha=1.0). */
export const elu = (x: TensorLike, alpha = 1.0): Tensor => unary('elu', 'elu', x, alpha);
/** Keras: ops.leaky_relu(x, negative_slope=0.2). */
export const leakyRelu = (x: TensorLike, negativeSlope = 0.2): Tensor => unary('leakyRelu', 'leaky_relu', x, negativeSlope);
/** Keras: ops.gelu(x, approximate=True) uses the tanh approximation by default. */
export const gelu = (x: TensorLike, approximate = true): Tensor =>
  unary('gelu', approximate ? 'gelu_approximate' : 'gelu', x);

function axisParams(op: string, x: Tensor, axis: number): AxisParams {
  const a = normalizeAxis(op, axis, x.rank);
  return { outer: sizeOf(x.shape.slice(0, a)), axis: x.shape[a], inner: sizeOf(x.shape.slice(a + 1)) };
}

/** An op's tensor argument as float32 (integer inputs are converted, as Keras does for floats ops). */
export function floatInput(x: TensorLike): Tensor {
  const t = x instanceof Tensor ? x : convertToTensor(x);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

/** Softmax along `axis` (default the last). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = floatInput(x);
  const p = axisParams('softmax', t, t.rank === 0 ? 0 : axis);
  const out = kernelOutput(t.size);
  kernels().softmax(floats(t), out, p);
  return record('softmax', [t], floatTensor(out, t.shape), (dy) => {
    const dx = kernelOutput(t.size);
    kernels().softmaxGrad(out, floats(dy), dx, p);
    return [floatTensor(dx, t.shape)];
  });
}

/** log(softmax(x)) along `axis`, computed stably. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = floatInput(x);
  const p = axisParams('logSoftmax', t, t.rank === 0 ? 0 : axis);
  const out = kernelOutput(t.size);
  kernels().logSoftmax(floats(t), out, p);
  const y = floatTensor(out, t.shape);
  const a = normalizeAxis('logSoftmax', axis, Math.max(t.rank, 1));
  // d/dx: dy - softmax(x) * sum(dy) along the axis.
  return record('logSoftmax', [t], y, (dy) => [subtract(dy, multiply(exp(y), sum(dy, a, true)))]);
}

// ---- Convolution and pooling -----------------------------------------------------------------

export interface ConvOptions {
  strides?: number | readonly number[];
  padding?: Padding;
  dilationRate?: number | readonly number[];
}

/** The kernel parameters of a 2-D convolution of `x` (NHWC) with `kernel` (HWIO). */
export function conv2DParams(op: string, xShape: Shape, kernelShape: Shape, options: ConvOptions): Conv2DParams {
  const [batch, inH, inW, inC] = xShape;
  const [kH, kW, kIn, outC] = kernelShape;
  if (kIn !== inC) {
    fail(op, `the kernel's input channels (${kIn}, kernel shape ${formatShape(kernelShape)}) must equal the input's channels ` +
      `(${inC}, input shape ${formatShape(xShape)})`);
  }
  const [strideH, strideW] = intTuple(op, 'strides', options.strides ?? 1, 2);
  const [dilationH, dilationW] = intTuple(op, 'dilationRate', options.dilationRate ?? 1, 2);
  const padding = options.padding ?? 'valid';
  const h = window1D(op, inH, kH, strideH, dilationH, padding);
  const w = window1D(op, inW, kW, strideW, dilationW, padding);
  return {
    batch, inH, inW, inC, outH: h.out, outW: w.out, outC, kH, kW, strideH, strideW, dilationH, dilationW,
    padTop: h.padBefore, padLeft: w.padBefore,
  };
}

/**
 * 2-D convolution (keras.ops.conv) of NHWC `inputs` with an HWIO `kernel`.
 *
 * Example: `conv(x, w, {strides: 2, padding: 'same'})` for x (8, 28, 28, 1), w (3, 3, 1, 32).
 */
export function conv(inputs: TensorLike, kernel: TensorLike, options: ConvOptions = {}): Tensor {
  return convBiasActivation(inputs, kernel, null, 'linear', options);
}

/**
 * act(conv(inputs, kernel) + bias) in one kernel pass: what Conv2D layers run. The bias and
 * activation are applied while the output tile is still in cache.
 */
export function convBiasActivation(inputs: TensorLike, kernel: TensorLike, bias: Tensor | null,
  activation: FusedActivation, options: ConvOptions = {}): Tensor {
  const op = 'conv';
  const x = floatInput(inputs);
  const w = floatInput(kernel);
  assertRank(op, 'inputs', x, [4]);
  assertRank(op, 'kernel', w, [4]);
  const p = conv2DParams(op, x.shape, w.shape, options);
  if (bias) {
    assertTensor(op, 'bias', bias);
    if (bias.rank !== 1 || bias.shape[0] !== p.outC) fail(op, `bias must have shape (${p.outC},), received ${formatShape(bias.shape)}`);
  }
  const out = kernelOutput(p.batch * p.outH * p.outW * p.outC);
  kernels().conv2d(floats(x), floats(w), bias ? floats(bias) : null, out, p, activation);
  const y = floatTensor(out, [p.batch, p.outH, p.outW, p.outC]);
  const inputsList = bias ? [x, w, bias] : [x, w];
  return record('conv', inputsList, y, (dy, needed) => {
    // One kernel call: the ReLU mask and the bias sum stay inside it, next to the two products.
    const dx = needed[0] ? floatTensor(kernelOutput(x.size), x.shape) : null;
    const dw = needed[1] ? floatTensor(kernelOutput(w.size), w.shape) : null;
    const db = bias && needed[2] ? floatTensor(kernelOutput(p.outC), bias.shape) : null;
    const values = (t: Tensor | null) => (t ? t.values as Float32Array : null);
    const grads = { dx: values(dx), dw: values(dw), db: values(db) };
    kernels().conv2dBackward(floats(x), floats(w), out, floats(dy), grads, p, activation);
    return bias ? [dx, dw, db] : [dx, dw];
  });
}

export interface PoolOptions {
  /** Defaults to the pool size, as in Keras. */
  strides?: number | readonly number[] | null;
  padding?: Padding;
}

function pool2DParams(op: string, x: Tensor, poolSize: number | readonly number[], options: PoolOptions): Pool2DParams {
  assertRank(op, 'inputs', x, [4]);
  const [poolH, poolW] = intTuple(op, 'poolSize', poolSize, 2);
  const [strideH, strideW] = intTuple(op, 'strides', options.strides ?? [poolH, poolW], 2);
  const padding = options.padding ?? 'valid';
  const [batch, inH, inW, channels] = x.shape;
  const h = window1D(op, inH, poolH, strideH, 1, padding);
  const w = window1D(op, inW, poolW, strideW, 1, padding);
  return { batch, inH, inW, channels, outH: h.out, outW: w.out, poolH, poolW, strideH, strideW, padTop: h.padBefore, padLeft: w.padBefore };
}

/**
 * A pooling op: `forward` fills the output, `backward` the input gradient from x and dy; the
 * window geometry and the autograd record are the same for every kind of pooling.
 */
function pool2D(op: string, inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions,
  forward: (x: Float32Array, out: Float32Array, p: Pool2DParams) => void,
  backward: (x: Float32Array, dy: Float32Array, dx: Float32Array, p: Pool2DParams) => void): Tensor {
  const x = floatInput(inputs);
  const p = pool2DParams(op, x, poolSize, options);
  const out = kernelOutput(p.batch * p.outH * p.outW * p.channels);
  forward(floats(x), out, p);
  return record(op, [x], floatTensor(out, [p.batch, p.outH, p.outW, p.channels]), (dy) => {
    const dx = kernelOutput(x.size);
    backward(floats(x), floats(dy), dx, p);
    return [floatTensor(dx, x.shape)];
  });
}

/** Max pooling of NHWC inputs (keras.ops.max_pool). */
export function maxPool(inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return pool2D('maxPool', inputs, poolSize, options,
    (x, out, p) => kernels().maxPool2d(x, out, p), (x, dy, dx, p) => kernels().maxPool2dGrad(x, dy, dx, p));
}

/** Average pooling of NHWC inputs over the cells inside the input (keras.ops.average_pool). */
export function averagePool(inputs: TensorLike, poolSize: number | readonly number[], options: PoolOptions = {}): Tensor {
  return pool2D('averagePool', inputs, poolSize, options,
    (x, out, p) => kernels().avgPool2d(x, out, p), (_x, dy, dx, p) => kernels().avgPool2dGrad(dy, dx, p));
}

// ---- Normalization ---------------------------------------------------------------------------

/** Mean and variance over `axes` (keras.ops.moments); the variance is the biased one. */
export function moments(x: TensorLike, axes: Axis, keepdims = false): [Tensor, Tensor] {
  const t = floatInput(x);
  const m = mean(t, axes, true);
  const variance = mean(square(subtract(t, m)), axes, keepdims);
  return [keepdims ? m : reshape(m, variance.shape), variance];
}

function channelVector(op: string, arg: string, v: Tensor | null, channels: number): Float32Array | null {
  if (!v) return null;
  assertTensor(op, arg, v);
  if (v.size !== channels) fail(op, `argument '${arg}' must have ${channels} values (one per channel), received shape ${formatShape(v.shape)}`);
  return floats(v);
}

/**
 * Normalizes with given statistics (keras.ops.batch_normalization):
 * (x - mean) / sqrt(variance + epsilon) * scale + offset, the vectors lying along `axis`.
 */
export function batchNormalization(x: TensorLike, meanValue: Tensor, variance: Tensor, axis: number,
  offset: Tensor | null = null, scale: Tensor | null = null, epsilon = 1e-3): Tensor {
  const t = floatInput(x);
  const a = normalizeAxis('batchNormalization', axis, t.rank);
  const along = (v: Tensor): Tensor => reshape(v, t.shape.map((d, i) => (i === a ? d : 1)));
  let inv = unary('rsqrt', 'rsqrt', add(along(variance), epsilon));
  if (scale) inv = multiply(inv, along(scale));
  let y = multiply(subtract(t, along(meanValue)), inv);
  if (offset) y = add(y, along(offset));
  return y;
}

export interface BatchNormTraining {
  output: Tensor;
  /** The batch mean and biased variance, for the layer's moving statistics. */
  mean: Tensor;
  variance: Tensor;
}

/**
 * Training-mode batch normalization in one fused kernel pass: batch statistics over every
 * axis but `axis`, normalization, scale and offset, and a fused backward through the
 * statistics. What BatchNormalization layers run when training.
 */
export function batchNormTraining(x: TensorLike, gamma: Tensor | null, beta: Tensor | null, axis: number, epsilon: number): BatchNormTraining {
  const op = 'batchNormTraining';
  const t = floatInput(x);
  const a = normalizeAxis(op, axis, t.rank);
  const p = { outer: sizeOf(t.shape.slice(0, a)), channels: t.shape[a], inner: sizeOf(t.shape.slice(a + 1)), epsilon };
  const g = channelVector(op, 'gamma', gamma, p.channels);
  const b = channelVector(op, 'beta', beta, p.channels);
  const out = kernelOutput(t.size);
  const m = kernelOutput(p.channels);
  const v = kernelOutput(p.channels);
  kernels().batchNormTrain(floats(t), g, b, out, m, v, p);
  const inputs = [t, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const output = record(op, inputs, floatTensor(out, t.shape), (dy) => {
    const dx = kernelOutput(t.size);
    const dgamma = gamma ? kernelOutput(p.channels) : null;
    const dbeta = beta ? kernelOutput(p.channels) : null;
    kernels().batchNormTrainGrad(floats(t), floats(dy), g, m, v, dx, dgamma, dbeta, p);
    const grads = [floatTensor(dx, t.shape)];
    if (gamma && dgamma) grads.push(floatTensor(dgamma, gamma.shape));
    if (beta && dbeta) grads.push(floatTensor(dbeta, beta.shape));
    return grads;
  });
  return { output, mean: floatTensor(m, [p.channels]), variance: floatTensor(v, [p.channels]) };
}

// ---- Losses ----------------------------------------------------------------------------------

/** One-hot encoding of integer labels along a new last axis (keras.ops.one_hot). */
export function oneHot(x: TensorLike, numClasses: number): Tensor {
  const labels = x instanceof Tensor ? x : convertToTensor(x, undefined, 'int32');
  if (!Number.isInteger(numClasses) || numClasses < 1) fail('oneHot', `numClasses must be a positive integer, received ${numClasses}`);
  const out = newFloat32Array(labels.size * numClasses);
  labels.values.forEach((v, i) => {
    if (v >= 0 && v < numClasses && Number.isInteger(v)) out[i * numClasses + v] = 1;
  });
  return floatTensor(out, [...labels.shape, numClasses]);
}

function checkLastAxis(op: string, axis: number, rank: number): void {
  if (normalizeAxis(op, axis, rank) !== rank - 1) fail(op, `only axis=-1 (the last axis) is supported, received axis=${axis}`);
}

/**
 * Cross-entropy between one-hot (or soft) `target` and `output` along the last axis
 * (keras.ops.categorical_crossentropy). `output` holds probabilities unless `fromLogits`.
 */
export function categoricalCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false, axis = -1): Tensor {
  const op = 'categoricalCrossentropy';
  const y = floatInput(target);
  const o = floatInput(output);
  if (o.rank < 1 || y.rank !== o.rank || y.shape.some((d, i) => d !== o.shape[i])) {
    fail(op, `target and output must have the same shape, received target ${formatShape(y.shape)} and output ${formatShape(o.shape)}` +
      (y.rank === o.rank - 1 ? '; for integer class labels use sparseCategoricalCrossentropy, or one-hot encode them with toCategorical' : ''));
  }
  checkLastAxis(op, axis, o.rank);
  if (!fromLogits) {
    // Keras: scale so each row sums to 1, clip to [eps, 1 - eps], then -sum(target * log(output)).
    const probs = clip(divide(o, sum(o, -1, true)), EPSILON, 1 - EPSILON);
    return negative(sum(multiply(y, log(probs)), -1));
  }
  const classes = o.shape[o.rank - 1];
  const rows = o.size / classes;
  const loss = kernelOutput(rows);
  const dlogits = kernelOutput(o.size);
  kernels().softmaxCrossEntropy(floats(o), floats(y), loss, dlogits, rows, classes);
  const result = floatTensor(loss, o.shape.slice(0, -1));
  return record(op, [o], result, (dy) => [multiply(floatTensor(dlogits, o.shape), reshape(dy, [...dy.shape, 1]))]);
}

/**
 * Cross-entropy between integer class labels `target` and `output` along the last axis
 * (keras.ops.sparse_categorical_crossentropy).
 */
export function sparseCategoricalCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false, axis = -1): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const o = floatInput(output);
  let labels = target instanceof Tensor ? target : convertToTensor(target, undefined, 'int32');
  if (labels.rank === o.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
  checkLastAxis(op, axis, o.rank);
  const classes = o.shape[o.rank - 1];
  if (labels.rank !== o.rank - 1 || labels.shape.some((d, i) => d !== o.shape[i])) {
    fail(op, `target must hold one integer label per row of output: output ${formatShape(o.shape)} needs target ` +
      `${formatShape(o.shape.slice(0, -1))}, received ${formatShape(labels.shape)}` +
      (labels.rank === o.rank ? '; for one-hot targets use categoricalCrossentropy' : ''));
  }
  const bad = labels.values.findIndex((v) => !(v >= 0 && v < classes && Number.isInteger(v)));
  if (bad >= 0) fail(op, `labels must be integers in [0, ${classes}), received ${labels.values[bad]} at index ${bad}`);
  if (!fromLogits) {
    const probs = clip(divide(o, sum(o, -1, true)), EPSILON, 1 - EPSILON);
    return negative(sum(multiply(oneHot(labels, classes), log(probs)), -1));
  }
  const rows = o.size / classes;
  const loss = kernelOutput(rows);
  const dlogits = kernelOutput(o.size);
  const ints = labels.dtype === 'int32' ? (labels.values as Int32Array) : Int32Array.from(labels.values);
  kernels().sparseSoftmaxCrossEntropy(floats(o), ints, loss, dlogits, rows, classes);
  const result = floatTensor(loss, o.shape.slice(0, -1));
  return record(op, [o], result, (dy) => [multiply(floatTensor(dlogits, o.shape), reshape(dy, [...dy.shape, 1]))]);
}

/**
 * Elementwise binary cross-entropy (keras.ops.binary_crossentropy). From logits it uses the
 * stable form max(x, 0) - x * t + log(1 + exp(-|x|)).
 */
export function binaryCrossentropy(target: TensorLike, output: TensorLike, fromLogits = false): Tensor {
  const op = 'binaryCrossentropy';
  const t = floatInput(target);
  const o = floatInput(output);
  if (t.rank !== o.rank || t.shape.some((d, i) => d !== o.shape[i])) {
    fail(op, `target and output must have the same shape, received target ${formatShape(t.shape)} and output ${formatShape(o.shape)}`);
  }
  if (fromLogits) return add(subtract(maximum(o, 0), multiply(o, t)), log1p(exp(negative(abs(o)))));
  const p = clip(o, EPSILON, 1 - EPSILON);
  return negative(add(multiply(t, log(p)), multiply(subtract(1, t), log(subtract(1, p)))));
}

