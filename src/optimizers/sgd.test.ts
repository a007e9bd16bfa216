import assert from 'node:assert/strict';
import test from 'node:test';
import { SGD } from './sgd.js';
import { checkAgainstReference, makeVariables, type ReferenceUpdate } from './test_utils.js';

/** sgd.py's update in float64. */
function sgdReference(lr: number, momentum = 0, nesterov = false): ReferenceUpdate {
  return (w, g, _t, slot) => {
    if (momentum === 0) {
      w.forEach((_, j) => (w[j] -= g[j] * lr));
      return;
    }
    const m = slot('momentum');
    w.forEach((_, j) => {
      m[j] = m[j] * momentum - g[j] * lr;
      w[j] += nesterov ? m[j] * momentum - g[j] * lr : m[j];
    });
  };
}

test('SGD matches sgd.py: plain, momentum, nesterov', () => {
  checkAgainstReference(new SGD(), { update: sgdReference(0.01) });
  checkAgainstReference(new SGD({ learningRate: 0.1, momentum: 0.9 }), { update: sgdReference(0.1, 0.9) });
  checkAgainstReference(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), { update: sgdReference(0.1, 0.9, true) });
});

test('SGD creates momentum slots only when momentum is not 0', () => {
  const plain = new SGD({ name: 'plain' });
  plain.build(makeVariables());
  assert.deepEqual(plain.variables.map((v) => v.path), ['plain/iteration', 'plain/learning_rate']);
  const heavy = new SGD({ name: 'heavy', momentum: 0.5 });
  heavy.build(makeVariables());
  assert.deepEqual(heavy.variables.slice(2).map((v) => v.path), ['heavy/dense_kernel_momentum', 'heavy/dense_bias_momentum']);
});

test('SGD config and errors', () => {
  const config = new SGD({ name: 'sgd_config', momentum: 0.5, nesterov: true }).getConfig();
  assert.deepEqual(Object.keys(config).slice(-2), ['momentum', 'nesterov']);
  assert.equal(config.learning_rate, Math.fround(0.01));
  assert.throws(() => new SGD({ momentum: 1.5 }), /^Error: SGD: `momentum` must be a float between \[0, 1\]\. Received: momentum=1\.5$/);
  assert.throws(() => new SGD({ momentum: -0.1 }), /`momentum` must be a float between \[0, 1\]/);
});
