import assert from 'node:assert/strict';
import test from 'node:test';
import { convertToTensor } from '../../ops/core.js';
import { ExponentialDecay } from './exponential_decay.js';
import { deserialize, serialize } from './index.js';

const at = (schedule: ExponentialDecay, step: number): number => schedule.call(convertToTensor(step, [], 'int32')).values[0];

test('ExponentialDecay: initial * rate ** (step / decaySteps), floored with staircase', () => {
  const smooth = new ExponentialDecay(0.1, 4, 0.5);
  const stairs = new ExponentialDecay(0.1, 4, 0.5, { staircase: true });
  for (const step of [0, 1, 3, 4, 6, 10]) {
    assert.ok(Math.abs(at(smooth, step) - 0.1 * 0.5 ** (step / 4)) < 1e-8, `step ${step}`);
    assert.equal(at(stairs, step), Math.fround(0.1 * 0.5 ** Math.floor(step / 4)));
  }
});

test('ExponentialDecay config, round trip, errors', () => {
  const schedule = new ExponentialDecay(0.1, 100000, 0.96, { staircase: true });
  const serialized = serialize(schedule);
  assert.deepEqual(serialized, {
    module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', registered_name: null,
    config: { initial_learning_rate: 0.1, decay_steps: 100000, decay_rate: 0.96, staircase: true, name: 'ExponentialDecay' },
  });
  assert.deepEqual(serialize(deserialize(serialized)), serialized);
  assert.throws(() => new ExponentialDecay(0.1, 0, 0.5), /^Error: Argument `decay_steps` must be > 0\. Received: decay_steps=0$/);
  assert.throws(() => deserialize({ ...serialized, class_name: 'CosineDecay' }), /Could not locate learning rate schedule 'CosineDecay'/);
});
