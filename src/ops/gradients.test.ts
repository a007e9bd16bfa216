/**
 * A finite-difference gradient check for every differentiable op, on the reference engine and
 * on the WASM engine. The coverage test fails when keras.ops gains an op that is neither checked
 * here nor declared non-differentiable.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { kernels, setKernels } from '../backend/engine.js';
import type { Tensor } from '../backend/tensor.js';
import { referenceKernels } from '../engine/reference/reference_kernels.js';
import { awayFromZero, checkGradients, distinctValues, uniformTensor as u } from '../testing/gradient_check.js';
import * as ops from './index.js';
import { batchNormTraining, convBiasActivation } from './nn.js';
import { dropout } from '../random/random.js';

const positive = (shape: number[], seed: number): Tensor => u(shape, seed, 0.5, 2);
const labels = ops.convertToTensor([2, 0, 1], [3], 'int32');
const oneHot3 = ops.oneHot(labels, 4);

const CASES: Record<string, () => void> = {
  add: () => checkGradients(ops.add, [u([3, 4], 1), u([4], 2)]),
  subtract: () => checkGradients(ops.subtract, [u([2, 3], 3), u([2, 1], 4)]),
  multiply: () => checkGradients(ops.multiply, [u([2, 3, 4], 5), u([3, 1], 6)]),
  divide: () => checkGradients(ops.divide, [u([3, 4], 7), positive([4], 8)]),
  // Both operands on the same grid, the second shifted by half a step: no ties, no near-ties.
  maximum: () => checkGradients(ops.maximum, [distinctValues([5, 3], 9), ops.add(distinctValues([5, 3], 10), 1 / 15)]),
  minimum: () => checkGradients(ops.minimum, [u([5, 3], 11), u([3], 12)]),
  power: () => checkGradients(ops.power, [positive([4, 3], 13), u([3], 14)]),
  clip: () => checkGradients((x) => ops.clip(x, -0.5, 0.5), [ops.convertToTensor([-0.9, -0.3, 0.1, 0.4, 0.8, -0.7, 0.2])]),
  negative: () => checkGradients(ops.negative, [u([7], 16)]),
  abs: () => checkGradients(ops.abs, [awayFromZero([9], 17)]),
  square: () => checkGradients(ops.square, [u([9], 18)]),
  sqrt: () => checkGradients(ops.sqrt, [positive([9], 19)]),
  rsqrt: () => checkGradients(ops.rsqrt, [positive([9], 20)]),
  reciprocal: () => checkGradients(ops.reciprocal, [positive([9], 21)]),
  exp: () => checkGradients(ops.exp, [u([9], 22)]),
  expm1: () => checkGradients(ops.expm1, [u([9], 23)]),
  log: () => checkGradients(ops.log, [positive([9], 24)]),
  log1p: () => checkGradients(ops.log1p, [positive([9], 25)]),
  sin: () => checkGradients(ops.sin, [u([9], 26)]),
  cos: () => checkGradients(ops.cos, [u([9], 27)]),
  tanh: () => checkGradients(ops.tanh, [u([9], 28)]),
  sum: () => checkGradients((x) => ops.sum(x, [0, 2]), [u([2, 3, 4], 29)]),
  mean: () => checkGradients((x) => ops.mean(x, 1, true), [u([2, 3, 4], 30)]),
  max: () => checkGradients((x) => ops.max(x, -1), [distinctValues([4, 5], 31)]),
  min: () => checkGradients((x) => ops.min(x), [distinctValues([4, 5], 32)]),
  matmul: () => {
    checkGradients(ops.matmul, [u([3, 5], 33), u([5, 4], 34)]);
    checkGradients(ops.matmul, [u([2, 3, 5], 35), u([5, 4], 36)]);
    checkGradients(ops.matmul, [u([5], 37), u([2, 5, 3], 38)]);
  },
  transpose: () => checkGradients((x) => ops.transpose(x, [2, 0, 1]), [u([2, 3, 4], 39)]),
  reshape: () => checkGradients((x) => ops.reshape(x, [4, -1]), [u([2, 3, 4], 40)]),
  expandDims: () => checkGradients((x) => ops.expandDims(x, 1), [u([3, 2], 41)]),
  squeeze: () => checkGradients((x) => ops.squeeze(x), [u([3, 1, 2], 42)]),
  concatenate: () => checkGradients((a, b) => ops.concatenate([a, b], 1), [u([2, 3, 2], 43), u([2, 1, 2], 44)]),
  slice: () => checkGradients((x) => ops.slice(x, [1, 0, 2], [2, 2, 2]), [u([3, 2, 4], 45)]),
  broadcastTo: () => checkGradients((x) => ops.broadcastTo(x, [2, 3, 4]), [u([3, 1], 46)]),
  relu: () => checkGradients(ops.relu, [awayFromZero([20], 47)]),
  relu6: () => checkGradients(ops.relu6, [u([20], 48, -3, 5)]),
  sigmoid: () => checkGradients(ops.sigmoid, [u([20], 49, -4, 4)]),
  softplus: () => checkGradients(ops.softplus, [u([20], 50, -4, 4)]),
  softsign: () => checkGradients(ops.softsign, [awayFromZero([20], 51)]),
  silu: () => checkGradients(ops.silu, [u([20], 52, -4, 4)]),
  swish: () => checkGradients(ops.swish, [u([20], 53, -4, 4)]),
  selu: () => checkGradients(ops.selu, [awayFromZero([20], 54)]),
  elu: () => checkGradients((x) => ops.elu(x, 0.7), [awayFromZero([20], 55)]),
  leakyRelu: () => checkGradients((x) => ops.leakyRelu(x), [awayFromZero([20], 56)]),
  hardSigmoid: () => checkGradients(ops.hardSigmoid, [u([20], 57, -2.5, 2.5)]),
  hardSilu: () => checkGradients(ops.hardSilu, [u([20], 58, -2.5, 2.5)]),
  hardSwish: () => checkGradients(ops.hardSwish, [u([20], 59, -2.5, 2.5)]),
  gelu: () => {
    checkGradients((x) => ops.gelu(x), [u([20], 60, -3, 3)]);
    checkGradients((x) => ops.gelu(x, false), [u([20], 61, -3, 3)]);
  },
  softmax: () => {
    checkGradients((x) => ops.softmax(x), [u([3, 5], 62, -2, 2)]);
    checkGradients((x) => ops.softmax(x, 0), [u([3, 5], 63, -2, 2)]);
  },
  logSoftmax: () => checkGradients((x) => ops.logSoftmax(x, 1), [u([2, 4, 3], 64, -2, 2)]),
  conv: () => {
    checkGradients((x, w) => ops.conv(x, w), [u([2, 5, 6, 3], 65), u([3, 2, 3, 4], 66)]);
    checkGradients((x, w) => ops.conv(x, w, { strides: 2, padding: 'same' }), [u([1, 6, 5, 2], 67), u([3, 3, 2, 3], 68)]);
    checkGradients((x, w) => ops.conv(x, w, { dilationRate: 2, padding: 'same' }), [u([1, 7, 7, 2], 69), u([3, 3, 2, 2], 70)]);
  },
  depthwiseConv: () => {
    checkGradients((x, w) => ops.depthwiseConv(x, w), [u([2, 5, 6, 3], 71), u([3, 2, 3, 1], 72)]);
    checkGradients((x, w) => ops.depthwiseConv(x, w, { strides: 2, padding: 'same' }), [u([1, 7, 5, 2], 73), u([3, 3, 2, 2], 74)]);
  },
  convBiasActivation: () => checkGradients((x, w, b) => convBiasActivation(x, w, b, 'relu', { padding: 'same' }),
    [u([2, 4, 4, 2], 71), u([3, 3, 2, 3], 72), u([3], 73)], { eps: 1e-3 }),
  maxPool: () => {
    checkGradients((x) => ops.maxPool(x, 2), [distinctValues([2, 5, 5, 3], 74)], { eps: 1e-3 });
    checkGradients((x) => ops.maxPool(x, 3, { strides: 2, padding: 'same' }), [distinctValues([1, 6, 7, 2], 75)], { eps: 1e-3 });
  },
  averagePool: () => {
    checkGradients((x) => ops.averagePool(x, 2), [u([2, 5, 5, 3], 76)]);
    checkGradients((x) => ops.averagePool(x, [3, 2], { strides: [2, 1], padding: 'same' }), [u([1, 6, 7, 2], 77)]);
  },
  batchNormalization: () => checkGradients((x, m, v, o, s) => ops.batchNormalization(x, m, v, -1, o, s),
    [u([4, 3], 78), u([3], 79), positive([3], 80), u([3], 81), u([3], 82)]),
  batchNormTraining: () => checkGradients((x, g, b) => batchNormTraining(x, g, b, 3, 1e-3).output,
    [u([3, 2, 2, 4], 83), u([4], 84), u([4], 85)], { eps: 1e-3 }),
  moments: () => checkGradients((x) => {
    const [m, v] = ops.moments(x, [0]);
    return ops.add(m, v);
  }, [u([5, 3], 86)]),
  categoricalCrossentropy: () => {
    checkGradients((o) => ops.categoricalCrossentropy(oneHot3, o, true), [u([3, 4], 87, -2, 2)]);
    checkGradients((o) => ops.categoricalCrossentropy(oneHot3, ops.softmax(o)), [u([3, 4], 88, -2, 2)]);
  },
  sparseCategoricalCrossentropy: () => {
    checkGradients((o) => ops.sparseCategoricalCrossentropy(labels, o, true), [u([3, 4], 89, -2, 2)]);
    checkGradients((o) => ops.sparseCategoricalCrossentropy(labels, ops.softmax(o)), [u([3, 4], 90, -2, 2)]);
  },
  binaryCrossentropy: () => {
    const target = u([6], 91, 0, 1);
    checkGradients((o) => ops.binaryCrossentropy(target, o, true), [awayFromZero([6], 92)]);
    checkGradients((o) => ops.binaryCrossentropy(target, o), [u([6], 93, 0.1, 0.9)]);
  },
  // keras.random.dropout: a seed fixes the mask, so the function is smooth in x
  dropout: () => checkGradients((x) => dropout(x, 0.4, { seed: 3 }), [u([5, 6], 94)]),
};

/** Ops with no gradient: constructors, integer-valued results, comparisons, autograd itself. */
const NON_DIFFERENTIABLE = new Set([
  'cast', 'convertToTensor', 'full', 'ones', 'onesLike', 'zeros', 'zerosLike', 'argmax', 'argmin', 'ceil', 'floor',
  'round', 'sign', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'oneHot', 'grad', 'valueAndGrad',
]);

test('every keras.ops export is gradient-checked or declared non-differentiable', () => {
  const unclassified = Object.keys(ops).filter((name) => !(name in CASES) && !NON_DIFFERENTIABLE.has(name));
  assert.deepEqual(unclassified, [], `ops with no gradient check: ${unclassified.join(', ')}`);
});

const engines = [['wasm', kernels()], ['reference', referenceKernels]] as const;
for (const [engine, k] of engines) {
  for (const [name, check] of Object.entries(CASES)) {
    test(`${name} gradient (${engine})`, () => {
      const previous = setKernels(k);
      try {
        check();
      } finally {
        setKernels(previous);
      }
    });
  }
}
