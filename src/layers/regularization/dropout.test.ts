import assert from 'node:assert/strict';
import test from 'node:test';
import { ones } from '../../ops/core.js';
import { randomTensor, runLayerTest } from '../../testing/layer_test.js';
import { Dropout } from './dropout.js';

test('Dropout basics', () => {
  runLayerTest(Dropout, { rate: 0.5 }, { inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedTrainableWeights: 0 });
  runLayerTest(Dropout, { rate: 0.3, noiseShape: [null, 1, 4], seed: 7 },
    { inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], callOptions: { training: true } });
});

test('Dropout is the identity unless training; training drops about `rate` and rescales the rest', () => {
  const layer = new Dropout(0.25);
  const x = randomTensor([4, 50], 1);
  assert.equal(layer.apply(x), x);
  assert.equal(layer.apply(x, { training: false }), x);
  const y = layer.apply(ones([100, 100]), { training: true }).values;
  const kept = y.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6), 'kept values scaled by 1 / (1 - rate)');
  assert.ok(Math.abs(1 - kept.length / y.length - 0.25) < 0.03, `dropped fraction ${1 - kept.length / y.length}`);
});

test('Dropout noiseShape broadcasts one mask; a seed gives a reproducible sequence of masks', () => {
  const y = new Dropout(0.5, { noiseShape: [null, 1] }).apply(ones([6, 40]), { training: true });
  for (let i = 0; i < 6; i++) assert.equal(new Set(y.values.slice(i * 40, i * 40 + 40)).size, 1, `row ${i} dropped as a whole`);
  const a = new Dropout(0.5, { seed: 3 });
  const b = new Dropout(0.5, { seed: 3 });
  const [a1, a2] = [a.apply(ones([64]), { training: true }), a.apply(ones([64]), { training: true })];
  assert.deepEqual(b.apply(ones([64]), { training: true }).values, a1.values);
  assert.notDeepEqual(a2.values, a1.values);
});

test('Dropout validates its rate', () => {
  for (const rate of [-0.1, 1, 1.5, NaN]) {
    assert.throws(() => new Dropout(rate), new RegExp(`Dropout: invalid value received for argument 'rate'. Expected a float value in \\[0, 1\\). Received: rate=${rate}`));
  }
  assert.throws(() => new Dropout(0.2, { noiseShape: [0, 1] }), /Dropout: argument 'noiseShape' must hold positive integers or null/);
});
