import assert from 'node:assert/strict';
import test from 'node:test';
import { Adagrad } from './adagrad.js';
import { checkAgainstReference, makeVariables, type ReferenceUpdate } from './test_utils.js';

/** adagrad.py's update in float64. */
function adagradReference(lr: number, initial = 0.1, epsilon = 1e-7): ReferenceUpdate {
  return (w, g, _t, slot) => {
    const accumulator = slot('accumulator', initial);
    w.forEach((_, j) => {
      accumulator[j] += g[j] * g[j];
      w[j] -= (lr * g[j]) / Math.sqrt(accumulator[j] + epsilon);
    });
  };
}

test('Adagrad matches adagrad.py', () => {
  checkAgainstReference(new Adagrad(), { update: adagradReference(0.001) });
  checkAgainstReference(new Adagrad({ learningRate: 0.5, initialAccumulatorValue: 0.01, epsilon: 1e-3 }),
    { update: adagradReference(0.5, 0.01, 1e-3) });
});

test('Adagrad accumulators start at initialAccumulatorValue; config and errors', () => {
  const optimizer = new Adagrad({ name: 'ada', initialAccumulatorValue: 0.25 });
  optimizer.build(makeVariables());
  assert.deepEqual(optimizer.variables.slice(2).map((v) => v.path), ['ada/dense_kernel_accumulator', 'ada/dense_bias_accumulator']);
  assert.deepEqual([...optimizer.variables[3].value.values], [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(Object.entries(optimizer.getConfig()).slice(-2), [['initial_accumulator_value', 0.25], ['epsilon', 1e-7]]);
  assert.throws(() => new Adagrad({ initialAccumulatorValue: -1 }),
    /^Error: Adagrad: `initial_accumulator_value` must be >= 0\. Received: initial_accumulator_value=-1$/);
});
