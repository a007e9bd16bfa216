/**
 * Transfer learning as Keras's guide does it: freeze the base (layer by layer or as a whole), train
 * a new top, then unfreeze the last block and fine-tune with a low learning rate. Small inputs and
 * two steps keep it fast.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { Dense } from '../layers/core/dense.js';
import { GlobalAveragePooling2D } from '../layers/pooling/global_average_pooling2d.js';
import { Model } from '../models/model.js';
import { SGD } from '../optimizers/sgd.js';
import { setRandomSeed } from '../random/seed_generator.js';
import { randomTensor } from '../testing/layer_test.js';
import { ResNet50, VGG16 } from './index.js';

const x = randomTensor([4, 32, 32, 3], 1, 0, 255);
const y = randomTensor([4, 2], 2, 0, 1);

/** The tutorial's model: the base, global average pooling, two dense layers. */
function withNewTop(base: Model): Model {
  const pooled = new GlobalAveragePooling2D().apply(base.output);
  const hidden = new Dense(8, { activation: 'relu' }).apply(pooled);
  const predictions = new Dense(2, { activation: 'softmax' }).apply(hidden);
  const model = new Model({ inputs: base.input, outputs: predictions });
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'categorical_crossentropy' });
  return model;
}

const snapshot = (model: Model): Map<string, Tensor> => new Map(model.weights.map((w) => [w.path, w.numpy()]));

/** The paths of the weights whose values changed since `before`. */
function changed(model: Model, before: Map<string, Tensor>): string[] {
  return model.weights.filter((w) => !w.numpy().values.every((v, i) => Object.is(v, before.get(w.path)!.values[i]))).map((w) => w.path);
}

test('VGG16 base frozen layer by layer: its weights stay bit-identical through fit, the new top learns', async () => {
  setRandomSeed(3);
  const base = await VGG16({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  for (const layer of base.layers) layer.trainable = false;
  const model = withNewTop(base);
  assert.equal(model.trainableWeights.length, 4);
  const before = snapshot(model);
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  const moved = changed(model, before);
  assert.ok(moved.length === 4 && moved.every((p) => p.startsWith('dense')), `changed: ${moved.join(', ')}`);
});

test('VGG16 base frozen as a whole, then its last block unfrozen and fine-tuned with a low learning rate', async () => {
  setRandomSeed(4);
  const base = await VGG16({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  base.trainable = false;
  const model = withNewTop(base);
  assert.equal(base.trainableWeights.length, 0);
  assert.equal(base.nonTrainableWeights.length, 26);
  let before = snapshot(model);
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(changed(model, before).every((p) => p.startsWith('dense')));

  // Keras's guide: unfreeze the top block, recompile (so the change is seen), train slowly.
  base.trainable = true;
  for (const layer of base.layers) layer.trainable = layer.name.startsWith('block5');
  model.compile({ optimizer: new SGD({ learningRate: 1e-4 }), loss: 'categorical_crossentropy' });
  assert.deepEqual(base.trainableWeights.map((w) => w.path), ['block5_conv1/kernel', 'block5_conv1/bias', 'block5_conv2/kernel',
    'block5_conv2/bias', 'block5_conv3/kernel', 'block5_conv3/bias']);
  before = snapshot(model);
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  const moved = changed(model, before);
  assert.ok(moved.some((p) => p.startsWith('block5_conv3')), `changed: ${moved.join(', ')}`);
  assert.ok(moved.every((p) => p.startsWith('block5_') || p.startsWith('dense')), `changed: ${moved.join(', ')}`);
});

test('a frozen ResNet50 base keeps BatchNormalization in inference mode: moving statistics unchanged by fit', async () => {
  setRandomSeed(5);
  const base = await ResNet50({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
  base.trainable = false;
  const model = withNewTop(base);
  const before = snapshot(model);
  const inference = await base.predict(x, { verbose: 0 });
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  const moved = changed(model, before);
  assert.ok(moved.length === 4 && moved.every((p) => p.startsWith('dense')), `changed: ${moved.join(', ')}`);
  assert.deepEqual(changed(base, before), []);
  // In training mode a frozen BatchNormalization still normalizes with its moving statistics.
  assert.deepEqual(base.apply(x, { training: true }).values, inference.values);
  // Unfrozen, the same layers do update their moving statistics in fit.
  base.trainable = true;
  model.compile({ optimizer: new SGD({ learningRate: 1e-4 }), loss: 'categorical_crossentropy' });
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(changed(base, before).includes('conv1_bn/moving_mean'));
});
