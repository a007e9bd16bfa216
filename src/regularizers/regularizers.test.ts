/** keras.regularizers: penalty values and gradients, configs as Keras writes them, names and errors. */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { convertToTensor } from '../ops/core.js';
import type { SerializedObject } from '../saving/serialization_lib.js';
import { assertClose } from '../testing/assert_close.js';
import { checkGradients, uniformTensor } from '../testing/gradient_check.js';
import * as regularizers from './index.js';

const W = [[1, -2, 0.5], [-0.25, 3, -1]];
const SUM_ABS = 1 + 2 + 0.5 + 0.25 + 3 + 1;
const SUM_SQUARES = 1 + 4 + 0.25 + 0.0625 + 9 + 1;
const value = (t: Tensor): number => {
  assert.equal(t.rank, 0, 'a penalty is a scalar');
  return t.values[0];
};

test('L1, L2 and L1L2 penalties', () => {
  const w = convertToTensor(W);
  assertClose([value(new regularizers.L1().call(w))], [0.01 * SUM_ABS], {}, 'L1 default');
  assertClose([value(new regularizers.L1({ l1: 0.5 }).call(w))], [0.5 * SUM_ABS], {}, 'L1');
  assertClose([value(new regularizers.L2().call(w))], [0.01 * SUM_SQUARES], {}, 'L2 default');
  assertClose([value(new regularizers.L2({ l2: 0.1 }).call(w))], [0.1 * SUM_SQUARES], {}, 'L2');
  const both = new regularizers.L1L2({ l1: 0.2, l2: 0.3 });
  assertClose([value(both.call(w))], [0.2 * SUM_ABS + 0.3 * SUM_SQUARES], {}, 'L1L2');
  assertClose([value(new regularizers.L1L2({ l2: 0.3 }).call(w))], [0.3 * SUM_SQUARES], {}, 'L1L2 l2 only');
  assert.equal(value(new regularizers.L1L2().call(w)), 0);
});

test('penalties are differentiable', () => {
  const w = uniformTensor([4, 5], 11);
  checkGradients((x) => new regularizers.L1L2({ l1: 0.2, l2: 0.3 }).call(x), [w]);
  checkGradients((x) => new regularizers.OrthogonalRegularizer({ factor: 0.5 }).call(x), [w], { eps: 1e-3 });
  checkGradients((x) => new regularizers.OrthogonalRegularizer({ mode: 'columns' }).call(x), [w], { eps: 1e-3 });
});

test('OrthogonalRegularizer penalizes the cosines between rows or columns', () => {
  // Rows (1, 0), (1, 1), (0, 2): unit vectors with cosines 1/sqrt(2), 0, 1/sqrt(2) over 3 pairs.
  const w = convertToTensor([[1, 0], [1, 1], [0, 2]]);
  const rows = (0.1 * 0.5 * (2 * 2 * Math.SQRT1_2)) / 3; // each pair counted twice in the full product
  assertClose([value(new regularizers.OrthogonalRegularizer({ factor: 0.1 }).call(w))], [rows], { rtol: 1e-6 }, 'rows');
  // Columns (1, 1, 0) and (0, 1, 2): cosine 1 / (sqrt(2) sqrt(5)), one pair.
  const columns = 0.01 * 0.5 * 2 / Math.sqrt(10);
  const byColumns = new regularizers.OrthogonalRegularizer({ mode: 'columns' });
  assertClose([value(byColumns.call(w))], [columns], { rtol: 1e-6 }, 'columns');
  assert.equal(value(new regularizers.OrthogonalRegularizer().call(convertToTensor([[2, 0], [0, 3]]))), 0);
  assert.throws(() => new regularizers.OrthogonalRegularizer().call(convertToTensor([1, 2])),
    { message: 'Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=(2,)' });
});

const spec = (className: string, config: Record<string, unknown>): SerializedObject =>
  ({ module: 'keras.regularizers', class_name: className, config, registered_name: null });

test('configs are what Keras writes, including its float32 rounding of L1 and factor', () => {
  const cases: [regularizers.Regularizer, SerializedObject][] = [
    [new regularizers.L1(), spec('L1', { l1: 0.009999999776482582 })],
    [new regularizers.L2(), spec('L2', { l2: 0.01 })],
    [new regularizers.L1L2({ l1: 0.01 }), spec('L1L2', { l1: 0.01, l2: 0 })],
    [new regularizers.OrthogonalRegularizer({ mode: 'columns' }),
      spec('OrthogonalRegularizer', { factor: 0.009999999776482582, mode: 'columns' })],
  ];
  for (const [regularizer, expected] of cases) {
    assert.deepEqual(regularizers.serialize(regularizer), expected);
    const back = regularizers.deserialize(JSON.parse(JSON.stringify(expected)) as SerializedObject);
    assert.deepEqual(regularizers.serialize(back), expected, `${expected.class_name} round trip`);
    const cls = regularizer.constructor as typeof regularizers.L2;
    assert.deepEqual(cls.fromConfig(regularizer.getConfig()).getConfig(), regularizer.getConfig());
  }
  assert.equal(regularizers.serialize(null), null);
});

test('get accepts Keras names, serialized objects, instances and classes', () => {
  const cases: [Parameters<typeof regularizers.get>[0], string][] = [
    ['l1', 'L1'], ['L1', 'L1'], ['l2', 'L2'], ['L2', 'L2'], ['l1l2', 'L1L2'], ['l1_l2', 'L1L2'], ['L1L2', 'L1L2'],
    ['orthogonal_regularizer', 'OrthogonalRegularizer'], ['OrthogonalRegularizer', 'OrthogonalRegularizer'],
    [{ class_name: 'L2', config: { l2: 0.5 } }, 'L2'], [regularizers.L1, 'L1'],
  ];
  for (const [identifier, className] of cases) {
    assert.equal(regularizers.serialize(regularizers.get(identifier))?.class_name, className, String(identifier));
  }
  const instance = new regularizers.L2({ l2: 3 });
  assert.equal(regularizers.get(instance), instance);
  assert.equal(regularizers.get(null), null);
  assert.equal(regularizers.get(undefined), null);
});

test('invalid names and arguments give Keras errors', () => {
  assert.throws(() => regularizers.get('l3'),
    { message: 'Could not interpret regularizer identifier: l3. Known regularizers: L1, L1L2, L2, OrthogonalRegularizer, ' +
      'l1, l1_l2, l1l2, l2, orthogonal_regularizer' });
  assert.throws(() => regularizers.deserialize({ class_name: 'L3', config: {} }),
    /Could not interpret regularizer identifier: \{"class_name":"L3","config":\{\}\}/);
  assert.throws(() => new regularizers.L1({ l1: -1 }),
    { message: 'Invalid value for argument l1: expected a non-negative float. Received: l1=-1' });
  assert.throws(() => new regularizers.L2({ l2: Number.NaN }), /Invalid value for argument l2/);
  assert.throws(() => new regularizers.OrthogonalRegularizer({ mode: 'diagonal' as never }),
    { message: 'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. Received: mode=diagonal' });
});
