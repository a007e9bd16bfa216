/** keras.ops: the public ops, under Keras's names in camelCase. */
export { cast, convertToTensor, full, ones, onesLike, reshape, zeros, zerosLike } from './core.js';
export type { TensorLike } from './core.js';
export {
  abs, add, argmax, argmin, broadcastTo, ceil, clip, concatenate, cos, divide, equal, exp, expandDims, expm1, floor,
  greater, greaterEqual, less, lessEqual, log, log1p, matmul, max, maximum, mean, min, minimum, multiply, negative,
  notEqual, power, reciprocal, round, rsqrt, sign, sin, slice, sqrt, square, squeeze, subtract, sum, tanh, transpose,
} from './numpy.js';
export {
  averagePool, batchNormalization, binaryCrossentropy, categoricalCrossentropy, conv, elu, gelu, hardSigmoid, hardSilu,
  hardSwish, leakyRelu, logSoftmax, maxPool, moments, oneHot, relu, relu6, selu, sigmoid, silu, softmax, softplus,
  softsign, sparseCategoricalCrossentropy, swish,
} from './nn.js';
export { depthwiseConv } from './depthwise_conv.js';
export type { ConvOptions, PoolOptions } from './nn.js';
export { grad, valueAndGrad } from '../backend/tape.js';
export type { ValueAndGrad } from '../backend/tape.js';
