import assert from 'node:assert/strict';
import test from 'node:test';
import { RMSprop } from './rmsprop.js';
import { checkAgainstReference, makeVariables, type ReferenceUpdate } from './test_utils.js';

/** rmsprop.py's update in float64. */
function rmspropReference(lr: number, rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false): ReferenceUpdate {
  return (w, g, _t, slot) => {
    const velocity = slot('velocity');
    const mom = momentum > 0 ? slot('momentum') : null;
    const average = centered ? slot('average_gradient') : null;
    w.forEach((_, j) => {
      velocity[j] = rho * velocity[j] + (1 - rho) * g[j] * g[j];
      let denominator = velocity[j] + epsilon;
      if (average) {
        average[j] = rho * average[j] + (1 - rho) * g[j];
        denominator = velocity[j] - average[j] * average[j] + epsilon;
      }
      const increment = (lr * g[j]) / Math.sqrt(denominator);
      if (mom) {
        mom[j] = momentum * mom[j] + increment;
        w[j] -= mom[j];
      } else {
        w[j] -= increment;
      }
    });
  };
}

test('RMSprop matches rmsprop.py: plain, momentum, centered, both', () => {
  checkAgainstReference(new RMSprop(), { update: rmspropReference(0.001) });
  checkAgainstReference(new RMSprop({ learningRate: 0.01, momentum: 0.5 }), { update: rmspropReference(0.01, 0.9, 0.5) });
  checkAgainstReference(new RMSprop({ rho: 0.8, centered: true }), { update: rmspropReference(0.001, 0.8, 0, 1e-7, true) });
  checkAgainstReference(new RMSprop({ momentum: 0.3, centered: true, epsilon: 1e-4 }),
    { update: rmspropReference(0.001, 0.9, 0.3, 1e-4, true) });
});

test('RMSprop slots: all velocities, then momentums, then average gradients', () => {
  const optimizer = new RMSprop({ name: 'rms', momentum: 0.5, centered: true });
  optimizer.build(makeVariables());
  assert.deepEqual(optimizer.variables.slice(2).map((v) => v.name), [
    'dense_kernel_velocity', 'dense_bias_velocity', 'dense_kernel_momentum', 'dense_bias_momentum',
    'dense_kernel_average_gradient', 'dense_bias_average_gradient',
  ]);
});

test('RMSprop config and errors; its default name is Keras\'s snake_case of the class name', () => {
  const config = new RMSprop({ rho: 0.8 }).getConfig();
  assert.match(config.name, /^rm_sprop(_\d+)?$/);
  assert.deepEqual(Object.entries(config).slice(-4), [['rho', 0.8], ['momentum', 0], ['epsilon', 1e-7], ['centered', false]]);
  assert.throws(() => new RMSprop({ rho: 1 }), /^Error: RMSprop: `rho` must be in the range \[0, 1\)\. Received: rho=1$/);
});
