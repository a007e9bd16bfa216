import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { Variable } from '../backend/variable.js';
import { zeros } from '../ops/core.js';
import { Adam } from './adam.js';
import { deserialize } from './index.js';
import { checkAgainstReference, makeVariables, type ReferenceUpdate } from './test_utils.js';
import { referenceDir } from '../testing/keras_reference.js';

/** adam.py's update in float64: bias correction folded into the step size. */
function adamReference(lr: number, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, amsgrad = false): ReferenceUpdate {
  return (w, g, t, slot) => {
    const [m, v] = [slot('momentum'), slot('velocity')];
    const vHat = amsgrad ? slot('velocity_hat') : v;
    const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    w.forEach((_, j) => {
      m[j] += (g[j] - m[j]) * (1 - beta1);
      v[j] += (g[j] * g[j] - v[j]) * (1 - beta2);
      vHat[j] = Math.max(vHat[j], v[j]);
      w[j] -= (m[j] * alpha) / (Math.sqrt(vHat[j]) + epsilon);
    });
  };
}

test('Adam matches adam.py for its defaults', () => {
  checkAgainstReference(new Adam(), { update: adamReference(0.001) });
});

test('Adam matches adam.py with other betas and a large learning rate', () => {
  const options = { learningRate: 0.1, beta1: 0.5, beta2: 0.8, epsilon: 1e-3 };
  checkAgainstReference(new Adam(options), { update: adamReference(0.1, 0.5, 0.8, 1e-3) });
});

test('Adam with amsgrad keeps the running maximum of the velocity', () => {
  // Shrinking gradients make the velocity fall, so the maximum matters.
  checkAgainstReference(new Adam({ amsgrad: true, beta2: 0.5 }), { update: adamReference(0.001, 0.9, 0.5, 1e-7, true) }, 5, 0.5);
});

test('Adam with weight decay decays before the update (base_optimizer order)', () => {
  const reference = { update: adamReference(0.01), weightDecay: { rate: 0.1, lr: 0.01 } };
  checkAgainstReference(new Adam({ learningRate: 0.01, weightDecay: 0.1 }), reference);
});

test('Adam slots: momentum then velocity per variable, named after the variable path', () => {
  const optimizer = new Adam({ name: 'adam_slots', amsgrad: true });
  optimizer.build(makeVariables());
  assert.deepEqual(optimizer.variables.map((v) => v.path), [
    'adam_slots/iteration', 'adam_slots/learning_rate',
    'adam_slots/dense_kernel_momentum', 'adam_slots/dense_kernel_velocity',
    'adam_slots/dense_bias_momentum', 'adam_slots/dense_bias_velocity',
    'adam_slots/dense_kernel_velocity_hat', 'adam_slots/dense_bias_velocity_hat',
  ]);
  assert.ok(optimizer.variables.every((v) => !v.trainable));
});

test('Adam variables and config equal the Keras fixture (training.json, runs.adam)', () => {
  const root = join(referenceDir(), 'training', 'm2_nodropout');
  interface Entry { path: string; shape: number[]; dtype: string }
  const run = JSON.parse(readFileSync(join(root, 'training.json'), 'utf8')).runs.adam as {
    optimizer: { module: string; class_name: string; config: Record<string, unknown>; registered_name: string | null };
    weights_after: Entry[];
    optimizer_variables_after: Entry[];
  };
  const optimizer = new Adam({ name: 'adam' });
  const model = run.weights_after.map((w) => {
    const [layerPath, name] = [w.path.slice(0, w.path.lastIndexOf('/')), w.path.slice(w.path.lastIndexOf('/') + 1)];
    return new Variable(zeros(w.shape), { name, path: `${layerPath}/${name}` });
  });
  optimizer.build(model);
  const actual = optimizer.variables.map((v) => ({ path: v.path, shape: [...v.shape], dtype: v.dtype }));
  assert.deepEqual(actual, run.optimizer_variables_after.map(({ path, shape, dtype }) => ({ path, shape, dtype })));
  assert.deepEqual(Object.entries(optimizer.getConfig()), Object.entries(run.optimizer.config));
  assert.equal((optimizer.constructor as typeof Adam).className, run.optimizer.class_name);
  // Keras on torch writes its backend subclass's module; the class name is what deserialization reads.
  const loaded = deserialize(run.optimizer);
  assert.ok(loaded instanceof Adam);
  assert.deepEqual(loaded.getConfig(), run.optimizer.config);
});
