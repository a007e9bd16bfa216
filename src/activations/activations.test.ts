/**
 * keras.activations: each function against its formula (evaluated in float64 here), against the
 * op it wraps, and against finite differences; then get/serialize/deserialize.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { Tensor } from '../backend/tensor.js';
import * as ops from '../ops/index.js';
import { assertClose } from '../testing/assert_close.js';
import { awayFromZero, checkGradients, uniformTensor } from '../testing/gradient_check.js';
import * as activations from './index.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const softplus = (v: number): number => Math.log1p(Math.exp(v));
/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7, well inside float32 tolerances). */
function erf(v: number): number {
  const s = Math.sign(v);
  const a = Math.abs(v);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - poly * Math.exp(-a * a));
}
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Inputs avoiding the kinks (0, +-0.5, +-1, +-3, 6) so one-sided formulas and finite differences agree. */
const POINTS = [-7.3, -3.4, -2.2, -1.3, -0.8, -0.3, -0.1, 0.2, 0.45, 0.7, 1.2, 2.5, 3.6, 5.1, 6.6];

/** name -> [activation called with its default arguments, the formula in float64]. */
const ELEMENTWISE: Record<string, [activations.Activation, (v: number) => number]> = {
  relu: [activations.relu, (v) => Math.max(v, 0)],
  leaky_relu: [activations.leakyRelu, (v) => (v >= 0 ? v : 0.2 * v)],
  relu6: [activations.relu6, (v) => Math.min(Math.max(v, 0), 6)],
  elu: [activations.elu, (v) => (v >= 0 ? v : Math.expm1(v))],
  selu: [activations.selu, (v) => SELU_SCALE * (v >= 0 ? v : SELU_ALPHA * Math.expm1(v))],
  celu: [activations.celu, (v) => Math.max(v, 0) + Math.expm1(Math.min(v, 0))],
  softplus: [activations.softplus, softplus],
  softsign: [activations.softsign, (v) => v / (Math.abs(v) + 1)],
  squareplus: [activations.squareplus, (v) => (v + Math.sqrt(v * v + 4)) / 2],
  soft_shrink: [activations.softShrink, (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0)],
  sparse_plus: [activations.sparsePlus, (v) => (v <= -1 ? 0 : v < 1 ? (v + 1) ** 2 / 4 : v)],
  silu: [activations.silu, (v) => v * sigmoid(v)],
  swish: [activations.swish, (v) => v * sigmoid(v)],
  gelu: [activations.gelu, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  tanh: [activations.tanh, Math.tanh],
  tanh_shrink: [activations.tanhShrink, (v) => v - Math.tanh(v)],
  sigmoid: [activations.sigmoid, sigmoid],
  sparse_sigmoid: [activations.sparseSigmoid, (v) => (v <= -1 ? 0 : v >= 1 ? 1 : 0.5 * (v + 1))],
  exponential: [activations.exponential, Math.exp],
  hard_sigmoid: [activations.hardSigmoid, (v) => Math.min(Math.max(v / 6 + 0.5, 0), 1)],
  hard_silu: [activations.hardSilu, (v) => v * Math.min(Math.max(v / 6 + 0.5, 0), 1)],
  hard_swish: [activations.hardSwish, (v) => v * Math.min(Math.max(v / 6 + 0.5, 0), 1)],
  hard_tanh: [activations.hardTanh, (v) => Math.min(Math.max(v, -1), 1)],
  hard_shrink: [activations.hardShrink, (v) => (Math.abs(v) > 0.5 ? v : 0)],
  linear: [activations.linear, (v) => v],
  mish: [activations.mish, (v) => v * Math.tanh(softplus(v))],
  log_sigmoid: [activations.logSigmoid, (v) => -softplus(-v)],
};

const values = (t: Tensor): number[] => Array.from(t.values);

for (const [name, [fn, formula]] of Object.entries(ELEMENTWISE)) {
  test(`${name} matches its formula and its finite-difference gradient`, () => {
    const x = ops.convertToTensor(POINTS);
    assertClose(fn(x).values, POINTS.map(formula), { atol: 2e-6, rtol: 2e-6 }, name);
    assert.equal(activations.get(name), fn);
    // Kinks lie at 0, +-0.5, +-1, +-3 and 6; 0.05 steps from points at least 0.1 away stay on one side.
    const halves = ops.convertToTensor(POINTS.map((v) => v / 2));
    checkGradients((t) => fn(t), [halves], { eps: 0.02, samples: POINTS.length });
  });
}

test('activations that wrap an op give exactly its values', () => {
  const x = uniformTensor([4, 5], 3, -4, 4);
  const pairs: [activations.Activation, activations.Activation][] = [
    [activations.relu, ops.relu], [activations.relu6, ops.relu6], [activations.sigmoid, ops.sigmoid],
    [activations.softplus, ops.softplus], [activations.selu, ops.selu], [activations.hardSigmoid, ops.hardSigmoid],
    [activations.hardSilu, ops.hardSilu], [activations.silu, ops.silu], [activations.softmax, ops.softmax],
    [activations.leakyRelu, ops.leakyRelu], [activations.elu, ops.elu], [activations.tanh, ops.tanh],
  ];
  for (const [fn, op] of pairs) assert.deepEqual(values(fn(x)), values(op(x)), fn.name);
  // keras.activations.gelu is exact by default; keras.ops.gelu approximates.
  assert.deepEqual(values(activations.gelu(x)), values(ops.gelu(x, false)));
  assert.deepEqual(values(activations.gelu(x, true)), values(ops.gelu(x)));
  assert.notDeepEqual(values(activations.gelu(x)), values(ops.gelu(x)));
});

test('relu options follow the examples in the Keras docstring', () => {
  const x = [-10, -5, 0, 5, 10];
  assert.deepEqual(activations.relu(x).toArray(), [0, 0, 0, 5, 10]);
  assert.deepEqual(activations.relu(x, { negativeSlope: 0.5 }).toArray(), [-5, -2.5, 0, 5, 10]);
  assert.deepEqual(activations.relu(x, { maxValue: 5 }).toArray(), [0, 0, 0, 5, 5]);
  assert.deepEqual(activations.relu(x, { threshold: 5 }).toArray(), [-0, -0, 0, 0, 10]);
  assert.deepEqual(activations.relu([-3, 2, 7, 9], { maxValue: 6 }).toArray(), [0, 2, 6, 6]);
  // All three: x - slope * relu(threshold - x) below the threshold, clipped above.
  assert.deepEqual(activations.relu([-2, 0.5, 1.5, 4], { negativeSlope: 0.5, maxValue: 3, threshold: 1 }).toArray(),
    [-1.5, -0.25, 1.5, 3]);
  const opts = { negativeSlope: 0.3, maxValue: 2.5, threshold: 0.25 };
  checkGradients((t) => activations.relu(t, opts), [awayFromZero([20], 4)]);
});

test('threshold, leakyRelu, elu, celu and hard/soft shrink take their arguments', () => {
  assert.deepEqual(activations.threshold([-1, 0.5, 2, 3], 1, -7).toArray(), [-7, -7, 2, 3]);
  assertClose(activations.leakyRelu([-2, 3], 0.1).values, [-0.2, 3], {}, 'leakyRelu');
  assertClose(activations.elu([-1, 2], 0.5).values, [0.5 * Math.expm1(-1), 2], {}, 'elu');
  assertClose(activations.celu([-1, 2], 2).values, [2 * Math.expm1(-0.5), 2], {}, 'celu');
  assert.deepEqual(activations.hardShrink([-2, -1, 0.5, 1.5], 1).toArray(), [-2, 0, 0, 1.5]);
  assert.deepEqual(activations.softShrink([-2, -1, 0.5, 1.5], 1).toArray(), [-1, 0, 0, 0.5]);
  assertClose(activations.squareplus([0, 1], 1).values, [0.5, (1 + Math.SQRT2) / 2], {}, 'squareplus');
  checkGradients((t) => activations.threshold(t, 0.1, 2), [awayFromZero([20], 5)]);
});

test('softmax and logSoftmax along an axis', () => {
  const x = ops.convertToTensor([[1, 2, 3], [0, 0, 0]]);
  const e = [1, 2, 3].map(Math.exp);
  const total = e[0] + e[1] + e[2];
  assertClose(activations.softmax(x).values, [...e.map((v) => v / total), 1 / 3, 1 / 3, 1 / 3], {}, 'softmax');
  const byColumn = activations.softmax(x, 0).values;
  assertClose(byColumn, [1, 2, 3].map(sigmoid).concat([-1, -2, -3].map(sigmoid)), {}, 'softmax axis 0');
  const logs = [...e.map((v) => Math.log(v / total)), ...Array<number>(3).fill(-Math.log(3))];
  assertClose(activations.logSoftmax(x).values, logs, {}, 'logSoftmax');
  checkGradients((t) => activations.softmax(t, 0), [uniformTensor([3, 4], 6)]);
  checkGradients((t) => activations.logSoftmax(t), [uniformTensor([3, 4], 7)]);
});

test('glu multiplies the first half by the sigmoid of the second', () => {
  const x = ops.convertToTensor([[1, 2, -1, 0.5], [3, -2, 2, -3]]);
  const lastAxis = [1 * sigmoid(-1), 2 * sigmoid(0.5), 3 * sigmoid(2), -2 * sigmoid(-3)];
  assertClose(activations.glu(x).values, lastAxis, {}, 'glu');
  const firstAxis = [1, 2, -1, 0.5].map((v, i) => v * sigmoid([3, -2, 2, -3][i]));
  assertClose(activations.glu(x, 0).values, firstAxis, {}, 'glu axis 0');
  assert.throws(() => activations.glu(ops.zeros([2, 3])),
    { message: 'glu: axis size must be divisible by 2. Received: x.shape=(2, 3) with axis=-1' });
  checkGradients((t) => activations.glu(t, 1), [uniformTensor([3, 6], 8)]);
});

test('sparsemax follows Keras 3.15.1, quirk included', () => {
  // keras/src/ops/nn_test.py: a support of one value.
  assertClose(activations.sparsemax([-0.5, 0, 1, 2, 3]).values, [0, 0, 0, 0, 1], {}, 'sparsemax');
  // Sorted [1, 0.5, -1], cumulative sums [1, 1.5, 0.5], support k = 2: Keras's tau = (1 + 1.5 - 1) / 2.
  assertClose(activations.sparsemax([[0.5, -1, 1]]).values, [0, 0, 0.25], {}, 'sparsemax k=2');
  // Along axis 0 of a (3, 2) tensor: columns [0.5, -1, 1] and [3, 0, 0].
  const columns = activations.sparsemax([[0.5, 3], [-1, 0], [1, 0]], 0);
  assertClose(columns.values, [0, 1, 0, 0, 0.25, 0], {}, 'sparsemax axis 0');
  const rows = ops.convertToTensor([[0.9, 0.1, 0.5, -0.4], [0.3, 0.35, 0.2, 0.25]]);
  checkGradients((t) => activations.sparsemax(t), [rows], { eps: 1e-3 });
});

test('get, serialize and deserialize use Keras names', () => {
  assert.equal(activations.get(null), activations.linear);
  assert.equal(activations.get(undefined), activations.linear);
  assert.equal(activations.get('leaky_relu'), activations.leakyRelu);
  const custom = (x: Tensor): Tensor => ops.multiply(x, 2);
  assert.equal(activations.get(custom), custom);
  assert.equal(activations.serialize(activations.relu), 'relu');
  assert.equal(activations.serialize(activations.softmax), 'softmax');
  assert.equal(activations.serialize(activations.swish), 'silu');
  assert.equal(activations.serialize(activations.hardSwish), 'hard_silu');
  assert.equal(activations.serialize(activations.get(null)), 'linear');
  for (const name of Object.keys(ELEMENTWISE).filter((n) => n !== 'swish' && n !== 'hard_swish')) {
    assert.equal(activations.serialize(activations.deserialize(name)), name);
  }
  const fnConfig = { module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'relu' };
  assert.equal(activations.deserialize(fnConfig as never), activations.relu);
  assert.equal(activations.get(fnConfig as never), activations.relu);
});

test('unknown activations are errors that list the known names', () => {
  assert.throws(() => activations.get('foo'),
    (e: Error) => e.message.startsWith('Could not interpret activation function identifier: foo. ' +
      'Known activation functions: celu, elu, exponential, gelu, glu,') &&
      e.message.includes('leaky_relu') && e.message.includes('swish'));
  assert.throws(() => activations.deserialize('Relu'), /Could not interpret activation function identifier: Relu\./);
  assert.throws(() => activations.serialize(function custom(x: Tensor) { return x; }),
    /Unknown activation function 'custom' cannot be serialized/);
});
