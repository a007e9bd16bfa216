import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import * as cifar10 from './cifar10.js';
import * as cifar100 from './cifar100.js';
import { cifarPickle, ramp, serve, withKerasHome, withLocations } from './testing_utils.js';

function writeBatches(dir: string, batches: Record<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(batches)) writeFileSync(join(dir, name), bytes);
}

/** CIFAR-10 batches of one image each (two in the test batch), labels 1..5 and [8, 9]. */
function cifar10Batches(): Record<string, Uint8Array> {
  const batches: Record<string, Uint8Array> = {};
  for (let i = 1; i <= 5; i++) batches[`data_batch_${i}`] = cifarPickle(ramp([1, 3072], i), { labels: [i] });
  batches.test_batch = cifarPickle(ramp([2, 3072]), { labels: [8, 9] });
  return batches;
}

test('CIFAR-10 from Keras 3\'s extracted cache: batches stacked, images moved to channels last', async () => {
  await withKerasHome(async (home) => {
    writeBatches(join(home, 'datasets', 'cifar-10-batches-py-target', 'cifar-10-batches-py'), cifar10Batches());
    const [[xTrain, yTrain], [xTest, yTest]] = await cifar10.loadData();
    assert.deepEqual([xTrain.shape, yTrain.shape], [[5, 32, 32, 3], [5, 1]]);
    assert.deepEqual([xTest.shape, yTest.shape], [[2, 32, 32, 3], [2, 1]]);
    assert.deepEqual([xTrain.dtype, yTrain.dtype], ['uint8', 'uint8']);
    assert.deepEqual(yTrain.toArray(), [[1], [2], [3], [4], [5]]);
    assert.deepEqual(yTest.toArray(), [[8], [9]]);
    // CHW value (n, c, h, w) = (n*3072 + c*1024 + h*32 + w + offset) % 256, read at NHWC (n, h, w, c).
    const chw = (n: number, c: number, h: number, w: number, offset: number) =>
      (n * 3072 + c * 1024 + h * 32 + w + offset) % 256;
    const x = xTrain.toArray() as number[][][][];
    const t = xTest.toArray() as number[][][][];
    for (const [h, w, c] of [[0, 0, 0], [0, 1, 2], [5, 7, 1], [31, 31, 2]]) {
      assert.equal(x[2][h][w][c], chw(0, c, h, w, 3));
      assert.equal(t[1][h][w][c], chw(1, c, h, w, 0));
    }
  });
});

test('CIFAR-100 from Keras 2\'s cache layout, with fine or coarse labels', async () => {
  await withKerasHome(async (home) => {
    writeBatches(join(home, 'datasets', 'cifar-100-python'), {
      train: cifarPickle(ramp([3, 3072]), { fine_labels: [99, 0, 42], coarse_labels: [19, 0, 7] }),
      test: cifarPickle(ramp([1, 3072]), { fine_labels: [5], coarse_labels: [1] }),
    });
    const [[xTrain, yFine], [, yTestFine]] = await cifar100.loadData();
    assert.deepEqual([xTrain.shape, yFine.toArray(), yTestFine.toArray()], [[3, 32, 32, 3], [[99], [0], [42]], [[5]]]);
    const [[, yCoarse]] = await cifar100.loadData({ labelMode: 'coarse' });
    assert.deepEqual(yCoarse.toArray(), [[19], [0], [7]]);
    await assert.rejects(
      cifar100.loadData({ labelMode: 'medium' as 'fine' }),
      /`label_mode` must be one of "fine", "coarse". Received: label_mode=medium./,
    );
  });
});

test('CIFAR: a corrupt batch is named; a failed download names every place tried and leaves nothing', async () => {
  const server = await serve({ 'cifar-10-python.tar.gz': new TextEncoder().encode('not the archive') });
  try {
    await withKerasHome(async (home) => {
      await withLocations({ cifarOrigin: server.url }, async () => {
        const tried = [
          'Could not load the CIFAR-10 dataset', "1\\. Keras's cache: .*cifar-10-batches-py: not found",
          "2\\. Keras's cache: .*cifar-10-batches-py-target_archive: not found",
          '3\\. download from .*Incomplete or corrupted file detected', 'put cifar-10-python\\.tar\\.gz',
        ];
        await assert.rejects(cifar10.loadData(), new RegExp(tried.join('[^]*')));
        assert.deepEqual(readdirSync(join(home, 'datasets')), []);
        const batches = cifar10Batches();
        batches.data_batch_3 = cifarPickle(ramp([2, 3072]), { labels: [1] });
        writeBatches(join(home, 'datasets', 'cifar-10-batches-py'), batches);
        await assert.rejects(cifar10.loadData(), /data_batch_3 is not a CIFAR batch: 2 images but 1 labels/);
        batches.data_batch_3 = cifarPickle(ramp([1, 3072]), { fine_labels: [1] });
        writeBatches(join(home, 'datasets', 'cifar-10-batches-py'), batches);
        await assert.rejects(cifar10.loadData(), /data_batch_3 is not a CIFAR batch: 'labels' is not a list .*keys: data, fine_labels/);
      });
    });
  } finally {
    await server.close();
  }
});
