/** compile / fit / evaluate / predict: behaviour, errors, and learning end to end. */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';
import { tutorialLayers } from '../testing/tutorial_models.js';

const { layers } = keras;

/** size x size images whose left or right half is bright; label 0 or 1 says which. */
function halves(n: number, seed: number, size = 12): [keras.Tensor, keras.Tensor] {
  keras.utils.setRandomSeed(seed);
  const x = keras.random.uniform([n, size, size, 1], { maxval: 0.5 }).dataSync() as Float32Array;
  const labels = new Int32Array(n);
  const half = size / 2;
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let r = 0; r < size; r++) for (let c = 0; c < half; c++) x[(i * size + r) * size + c + labels[i] * half] += 0.5;
  }
  return [keras.tensor(x, [n, size, size, 1]), keras.tensor(labels, [n], 'int32')];
}

function smallCnn(): keras.Sequential {
  return new keras.Sequential([
    new layers.Conv2D(4, 3, { activation: 'relu', inputShape: [12, 12, 1] }),
    new layers.MaxPooling2D(),
    new layers.Flatten(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
}

test('M1 (tutorial 001\'s CNN) learns a synthetic task; History has Keras\'s keys', async () => {
  const [x, y] = halves(240, 1, 28);
  const model = new keras.Sequential(tutorialLayers('M1'));
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 6, batchSize: 16, validationSplit: 0.25, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.equal(history.history.loss.length, 6);
  assert.ok(history.history.loss[5] < history.history.loss[0], `loss did not fall: ${history.history.loss}`);
  const [xTest, yTest] = halves(100, 2, 28);
  const [loss, accuracy] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
  assert.ok(accuracy > 0.9, `test accuracy ${accuracy}, loss ${loss}`);
  assert.deepEqual(model.metricsNames, ['loss', 'accuracy']);
  const probabilities = await model.predict(xTest, { batchSize: 32, verbose: 0 });
  assert.deepEqual(probabilities.shape, [100, 10]);
});

test('validationSplit holds out the last samples, before shuffling', async () => {
  const [x, y] = halves(40, 3);
  const model = smallCnn();
  // A zero learning rate keeps the weights fixed, so val_loss must equal evaluate() on the tail.
  model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy' });
  const history = await model.fit(x, y, { epochs: 1, batchSize: 8, validationSplit: 0.2, verbose: 0 });
  const tail = (await model.evaluate(x.index([32, 40]), y.index([32, 40]), { batchSize: 8, verbose: 0 })) as number;
  assert.ok(Math.abs(history.history.val_loss[0] - tail) < 1e-6, `${history.history.val_loss[0]} vs ${tail}`);
});

test('frozen layers keep their weights; trainOnBatch/testOnBatch/predictOnBatch', () => {
  const [x, y] = halves(16, 4);
  const model = smallCnn();
  const conv = model.getLayer(0);
  conv.trainable = false;
  const before = conv.getWeights().map((w) => w.dataSync());
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const logs = model.trainOnBatch(x, y);
  assert.ok(Number.isFinite(logs.loss) && 'accuracy' in logs);
  conv.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i]));
  assert.equal(model.trainableWeights.length, 2);
  assert.ok(Number.isFinite(model.testOnBatch(x, y).loss));
  assert.deepEqual(model.predictOnBatch(x).shape, [16, 2]);
});

test('predict runs a big batch slice by slice with the same outputs as the whole batch at once', async () => {
  const [x] = halves(300, 5);
  const model = smallCnn();
  const whole = model.predictOnBatch(x); // no slicing here
  const rowsSeen: number[] = [];
  const apply = model.apply.bind(model);
  model.apply = ((inputs: keras.Tensor, options) => {
    rowsSeen.push(inputs.shape[0]);
    return apply(inputs, options);
  }) as typeof model.apply;
  const sliced = await model.predict(x, { batchSize: 300, verbose: 0 });
  assert.deepEqual(rowsSeen, [128, 128, 44]);
  assert.deepEqual(sliced.shape, [300, 2]);
  assert.deepEqual(sliced.dataSync(), whole.dataSync());
});

test('errors in Keras\'s words, before computing', async () => {
  const [x, y] = halves(8, 5);
  const model = smallCnn();
  await assert.rejects(model.fit(x, y), /You must call `compile\(\)` before using the model's fit\(\)/);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  await assert.rejects(model.fit(x, y, { verbose: 0 }), /sparse_categorical_crossentropy|toCategorical/);
  await assert.rejects(model.fit(x, y, { validationSplit: 1.5 }), /validationSplit must be a number in \[0, 1\), received 1.5/);
  await assert.rejects(model.fit(x, y.index([0, 4])), /x and y must have the same number of samples/);
  assert.throws(() => model.compile({ optimizer: 'adamm', loss: 'mse' }), /adamm/);
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'mean_squared_errr' }), /Could not interpret loss identifier/);
  const deferred = new keras.Sequential([new layers.Conv2D(2, 3)]);
  assert.throws(() => deferred.predictOnBatch(keras.ops.zeros([1, 28, 28])),
    /Input 0 of layer "conv2d(_\d+)?" is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape received: \(None, 28, 28\)/);
  assert.throws(() => model.getLayer(0).setWeights([keras.ops.zeros([3, 3])]), /weight list of length 1, but the layer was expecting 2 weights/);
});
