/** preprocessInput in its three modes and decodePredictions, against Keras's formulas and messages. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { convertToTensor } from '../ops/core.js';
import { decodePredictions, preprocessInput, type ClassIndex } from './imagenet_utils.js';
import { resnet50, vgg16, vgg19 } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'keras-ts-imagenet-'));
after(() => rmSync(work, { recursive: true, force: true }));

const close = (actual: ArrayLike<number>, expected: number[]): void =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-4, `element ${i}: ${actual[i]} vs ${e}`));

test('caffe preprocessing: RGB to BGR, minus the ImageNet means, for each family', () => {
  const pixel = convertToTensor([[[[10, 20, 30]]], [[[255, 0, 128]]]], undefined, 'float32');
  const expected = [30 - 103.939, 20 - 116.779, 10 - 123.68, 128 - 103.939, 0 - 116.779, 255 - 123.68];
  for (const family of [vgg16, vgg19, resnet50]) close(family.preprocessInput(pixel).values, expected);
  const uint8 = preprocessInput(convertToTensor(new Uint8Array([10, 20, 30, 40, 50, 60]), [2, 1, 3]));
  assert.equal(uint8.dtype, 'float32');
  assert.deepEqual(uint8.shape, [2, 1, 3]);
  close(uint8.values, [30 - 103.939, 20 - 116.779, 10 - 123.68, 60 - 103.939, 50 - 116.779, 40 - 123.68]);
  // channels_first: the channel axis is 0 for one image, 1 for a batch.
  close(preprocessInput(convertToTensor([[[10]], [[20]], [[30]]]), { dataFormat: 'channels_first' }).values,
    [30 - 103.939, 20 - 116.779, 10 - 123.68]);
  assert.deepEqual(preprocessInput(convertToTensor([[[[1, 2]], [[3, 4]], [[5, 6]]]]), { dataFormat: 'channels_first' }).shape, [1, 3, 1, 2]);
});

test('tf and torch preprocessing, and Keras\'s errors', () => {
  close(preprocessInput(convertToTensor([0, 127.5, 255]), { mode: 'tf' }).values, [-1, 0, 1]);
  close(preprocessInput(convertToTensor([[255, 0, 51]]), { mode: 'torch' }).values,
    [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.2 - 0.406) / 0.225]);
  assert.throws(() => preprocessInput(convertToTensor([1, 2, 3]), { mode: 'keras' as 'tf' }),
    /^Error: Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=keras$/);
  assert.throws(() => preprocessInput(convertToTensor([1, 2, 3]), { dataFormat: 'nhwc' as 'channels_last' }),
    /^Error: Expected data_format to be one of `channels_first` or `channels_last`. Received: data_format=nhwc$/);
});

/** A made-up class index in Keras's format: class i is `n0000000i` / `class_i`. */
const classIndex: ClassIndex = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(i), [`n${String(i).padStart(8, '0')}`, `class_${i}`]]));

test('decodePredictions: the top k classes per sample, highest first, from a class index file', async () => {
  const preds = new Float32Array(2000);
  preds[7] = 0.5;
  preds[999] = 0.25;
  preds[3] = 0.125;
  preds[1000 + 42] = 0.75;
  const path = join(work, 'imagenet_class_index.json');
  writeFileSync(path, JSON.stringify(classIndex));
  const decoded = await vgg16.decodePredictions(convertToTensor(preds, [2, 1000]), 3, { classIndex: path });
  assert.deepEqual(decoded[0], [['n00000007', 'class_7', 0.5], ['n00000999', 'class_999', 0.25], ['n00000003', 'class_3', 0.125]]);
  assert.deepEqual(decoded[1][0], ['n00000042', 'class_42', 0.75]);
  assert.equal((await decodePredictions(convertToTensor(preds, [2, 1000]), undefined, { classIndex }))[1].length, 5);
  await assert.rejects(decodePredictions(convertToTensor([[1, 2, 3]])), new RegExp('^Error: `decode_predictions` expects a batch of ' +
    'predictions \\(i\\.e\\. a 2D array of shape \\(samples, 1000\\)\\)\\. Received array with shape: \\(1, 3\\)$'));
});

test('decodePredictions without a class index it can read or download says what to put where', async (t) => {
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  const previous = process.env.KERAS_HOME;
  process.env.KERAS_HOME = home;
  t.after(() => (previous === undefined ? delete process.env.KERAS_HOME : (process.env.KERAS_HOME = previous)));
  t.mock.method(globalThis, 'fetch', async () => {
    throw new TypeError('fetch failed');
  });
  await assert.rejects(decodePredictions(convertToTensor(new Float32Array(1000), [1, 1000])), (e: Error) => {
    assert.match(e.message, /^Could not get the ImageNet class index: URL fetch failure on https:\/\/storage\.googleapis\.com\/download\.tensorflow\.org\/data\/imagenet_class_index\.json/);
    assert.ok(e.message.endsWith(`Put Keras's file imagenet_class_index.json (from https://storage.googleapis.com/download.tensorflow.org/` +
      `data/imagenet_class_index.json, md5 c2c37ea517e94d9795004a39431a14cb) at ${join(home, 'models', 'imagenet_class_index.json')}.`));
    return true;
  });
});
