/**
 * Weights files: a model saved in the legacy `.h5` format loads into a new instance with
 * identical outputs; a file for another architecture fails before assigning anything; 'imagenet'
 * asks for Keras's file name at Keras's URL, in Keras's cache, and says what to put where when it
 * cannot be had (the real weights are not reachable from the test machine).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { setRandomSeed } from '../random/seed_generator.js';
import { randomTensor } from '../testing/layer_test.js';
import { ResNet50, VGG16 } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-applications-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A fresh, empty Keras cache for one test: `$KERAS_HOME` points to it until the test ends. */
function kerasHomeFor(t: TestContext): string {
  const previous = process.env.KERAS_HOME;
  const home = mkdtempSync(join(work, 'keras-home-'));
  process.env.KERAS_HOME = home;
  t.after(() => (previous === undefined ? delete process.env.KERAS_HOME : (process.env.KERAS_HOME = previous)));
  return home;
}

test('VGG16 weights saved as legacy .h5 load back (by position, as Keras loads them): identical outputs', async () => {
  setRandomSeed(1);
  const saved = await VGG16({ weights: null, includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
  const file = join(work, 'vgg16_notop.h5');
  await saved.save(file);
  const loaded = await VGG16({ weights: file, includeTop: false, inputShape: [32, 32, 3], pooling: 'avg' });
  const x = randomTensor([2, 32, 32, 3], 3, 0, 255);
  assert.deepEqual((await loaded.predict(x, { verbose: 0 })).values, (await saved.predict(x, { verbose: 0 })).values);
  // The same file serves any input size: convolution weights do not depend on it.
  const larger = await VGG16({ weights: file, includeTop: false, inputShape: [48, 40, 3] });
  assert.deepEqual(larger.getLayer('block5_conv3').getWeights()[0].values, saved.getLayer('block5_conv3').getWeights()[0].values);
  // A file without the top cannot serve the model with it.
  await assert.rejects(VGG16({ weights: file, inputShape: [32, 32, 3], classes: 3 }),
    /vgg16_notop\.h5: Layer count mismatch when loading weights from file\. Model expected 16 layers .*fc1, fc2, predictions\), found 13 saved layers/);
});

test('ResNet50 weights (BatchNormalization statistics included) round-trip through legacy .h5', async () => {
  const saved = await ResNet50({ weights: null, includeTop: false, inputShape: [32, 32, 3], pooling: 'max' });
  // Move the moving statistics away from their initial values, as a trained model's are.
  saved.getLayer('conv1_bn').setWeights(saved.getLayer('conv1_bn').getWeights().map((w, i) => randomTensor(w.shape, 10 + i, 0.5, 1.5)));
  const file = join(work, 'resnet50_notop.h5');
  await saved.save(file);
  const loaded = await ResNet50({ weights: file, includeTop: false, inputShape: [32, 32, 3], pooling: 'max' });
  const x = randomTensor([1, 32, 32, 3], 4, -100, 100);
  assert.deepEqual((await loaded.predict(x, { verbose: 0 })).values, (await saved.predict(x, { verbose: 0 })).values);
  await assert.rejects(VGG16({ weights: file, includeTop: false }), /Layer count mismatch .*Model expected 13 layers \(block1_conv1, block1_conv2.*found 106 saved layers/);
});

test('weights: \'imagenet\' asks for Keras\'s file in Keras\'s cache and explains what to put where', async (t) => {
  const home = kerasHomeFor(t);
  const requested: string[] = [];
  t.mock.method(globalThis, 'fetch', async (url: string) => {
    requested.push(url);
    throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND storage.googleapis.com') });
  });
  const target = join(home, 'models', 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
  await assert.rejects(VGG16({ includeTop: false }), (e: Error) => {
    assert.match(e.message, /^Could not get the ImageNet weights of vgg16: URL fetch failure on https:\/\/storage\.googleapis\.com\/tensorflow\//);
    assert.ok(e.message.includes(`Put Keras's file vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (from ` +
      'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5, ' +
      `md5 6d6bbae143d832006294945121d1f1fc) at ${target}.`), e.message);
    return true;
  });
  await assert.rejects(ResNet50(), /resnet50_weights_tf_dim_ordering_tf_kernels\.h5 \(from https:\/\/storage\.googleapis\.com\/tensorflow\/keras-applications\/resnet\/resnet50_weights_tf_dim_ordering_tf_kernels\.h5, md5 2cb95161c43110f7111970584f804107\)/);
  assert.deepEqual(requested, [
    'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
    'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5',
  ]);
  assert.equal(existsSync(target), false, 'a failed download leaves nothing in the cache');
});

test('weights: \'imagenet\' checks the downloaded file\'s md5 and keeps nothing that does not match', async (t) => {
  const home = kerasHomeFor(t);
  t.mock.method(globalThis, 'fetch', async () => new Response(new Uint8Array([1, 2, 3])));
  await assert.rejects(VGG16({ includeTop: false }),
    /Incomplete or corrupted file detected\. The auto file hash does not match the provided value of 6d6bbae143d832006294945121d1f1fc/);
  assert.equal(existsSync(join(home, 'models', 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5')), false);
});
