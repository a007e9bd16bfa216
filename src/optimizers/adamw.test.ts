import assert from 'node:assert/strict';
import test from 'node:test';
import { AdamW } from './adamw.js';
import { checkAgainstReference } from './test_utils.js';

test('AdamW is Adam after decoupled weight decay w -= w * weightDecay * lr (default 0.004)', () => {
  // Adam's float64 reference is in adam.test.ts; with beta1 = 0 and beta2 = 0 one step is w -= lr * g / (|g| + eps).
  const update = (w: Float64Array, g: Float64Array): void => w.forEach((_, j) => (w[j] -= (0.01 * g[j]) / (Math.abs(g[j]) + 1e-7)));
  checkAgainstReference(new AdamW({ learningRate: 0.01, beta1: 0, beta2: 0 }), { update, weightDecay: { rate: 0.004, lr: 0.01 } });
});

test('AdamW config, default name and errors', () => {
  const optimizer = new AdamW();
  assert.match(optimizer.name, /^adam_w(_\d+)?$/);
  assert.equal(optimizer.getConfig().weight_decay, 0.004);
  assert.equal(new AdamW({ weightDecay: 0.1 }).getConfig().weight_decay, 0.1);
  assert.throws(() => new AdamW({ weightDecay: null }), /^Error: AdamW: Argument `weight_decay` must be a float\. Received: weight_decay=None$/);
  assert.throws(() => new AdamW({ beta2: 1 }), /^Error: AdamW: `beta_2` must be in the range \[0, 1\)\. Received: beta_2=1$/);
});
