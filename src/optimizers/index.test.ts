/** keras.optimizers.get / serialize / deserialize, and config round trips for every optimizer. */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as optimizers from './index.js';

test('get accepts Keras\'s names case-insensitively, serialized optimizers and instances', () => {
  const expected: [string, string][] = [
    ['adam', 'Adam'], ['Adam', 'Adam'], ['SGD', 'SGD'], ['sgd', 'SGD'], ['rmsprop', 'RMSprop'], ['RMSprop', 'RMSprop'],
    ['adagrad', 'Adagrad'], ['adamw', 'AdamW'], ['AdamW', 'AdamW'],
  ];
  for (const [name, className] of expected) {
    const optimizer = optimizers.get(name);
    assert.equal((optimizer.constructor as typeof optimizers.Optimizer).className, className, name);
  }
  const instance = new optimizers.SGD();
  assert.equal(optimizers.get(instance), instance);
  const fromDict = optimizers.get({ module: 'keras.optimizers', class_name: 'Adam', config: { learning_rate: 0.5 }, registered_name: null });
  assert.equal(fromDict.learningRate, 0.5);
  assert.throws(() => optimizers.get('adamax'),
    /^Error: Could not locate optimizer 'adamax'\. Known optimizers: adam, adamw, sgd, rmsprop, adagrad$/);
});

test('serialize writes Keras\'s format; deserialize(serialize(x)) reproduces the config', () => {
  const schedule = new optimizers.schedules.ExponentialDecay(0.01, 10, 0.9);
  const instances = [
    new optimizers.Adam({ learningRate: 0.002, beta1: 0.8, amsgrad: true, clipnorm: 1 }),
    new optimizers.AdamW({ weightDecay: 0.01, globalClipnorm: 2 }),
    new optimizers.SGD({ learningRate: schedule, momentum: 0.9, nesterov: true }),
    new optimizers.RMSprop({ centered: true, useEma: true, emaOverwriteFrequency: 10 }),
    new optimizers.Adagrad({ initialAccumulatorValue: 0.5, gradientAccumulationSteps: 4, lossScaleFactor: 128 }),
  ];
  for (const optimizer of instances) {
    const serialized = optimizers.serialize(optimizer);
    assert.equal(serialized.module, 'keras.optimizers');
    assert.equal(serialized.registered_name, null);
    const copy = optimizers.deserialize(JSON.parse(JSON.stringify(serialized)));
    assert.equal(copy.constructor, optimizer.constructor);
    assert.deepEqual(copy.getConfig(), optimizer.getConfig());
  }
});

test('the default config lists every Keras key in Keras\'s order', () => {
  assert.deepEqual(Object.keys(new optimizers.Adagrad().getConfig()), [
    'name', 'learning_rate', 'weight_decay', 'clipnorm', 'global_clipnorm', 'clipvalue', 'use_ema', 'ema_momentum',
    'ema_overwrite_frequency', 'loss_scale_factor', 'gradient_accumulation_steps', 'initial_accumulator_value', 'epsilon',
  ]);
});
