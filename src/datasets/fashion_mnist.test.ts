import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'fflate';
import { loadData } from './fashion_mnist.js';
import { locations } from './sources.js';
import { fashionMnistFiles as smallFiles, serve, tempDir, withKerasHome, withLocations } from './testing_utils.js';

function writeAll(dir: string, files: Record<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

test('Fashion-MNIST sources in order: Keras\'s cache, then the offline copy, then the download', async () => {
  const offline = tempDir();
  writeAll(offline, smallFiles(1));
  const server = await serve(smallFiles(2));
  try {
    await withKerasHome(async (home) => {
      await withLocations({ fashionMnist: offline, kerasOrigin: server.url }, async () => {
        writeAll(join(home, 'datasets', 'fashion-mnist'), smallFiles(0));
        let [[, yTrain], [xTest]] = await loadData();
        assert.deepEqual([yTrain.toArray(), xTest.shape], [[0, 1], [1, 28, 28]]);

        home = join(home, 'elsewhere');
        process.env.KERAS_HOME = home;
        [[, yTrain]] = await loadData();
        assert.deepEqual(yTrain.toArray(), [1, 2]);

        locations.fashionMnist = join(offline, 'missing');
        [[, yTrain]] = await loadData();
        assert.deepEqual(yTrain.toArray(), [2, 3]);
        assert.equal(server.requested.length, 4);
        assert.deepEqual(readdirSync(join(home, 'datasets', 'fashion-mnist')).sort(), Object.keys(smallFiles(0)).sort());
      });
    });
  } finally {
    await server.close();
  }
});

test('Fashion-MNIST: a corrupt cached file is named; with no source at all, every place tried is named', async () => {
  const server = await serve({});
  try {
    await withKerasHome(async (home) => {
      await withLocations({ fashionMnist: join(home, 'none'), kerasOrigin: server.url }, async () => {
        const tried = [
          'Could not load the Fashion-MNIST dataset', "1\\. Keras's cache: .*: not found",
          "2\\. Debian's dataset-fashion-mnist: .*: not found", '3\\. download from .*URL fetch failure on .*: 500',
          'put train-images-idx3-ubyte\\.gz, ',
        ];
        await assert.rejects(loadData(), new RegExp(tried.join('[^]*')));
        assert.deepEqual(readdirSync(join(home, 'datasets', 'fashion-mnist')), []);
        const files = smallFiles(0);
        files['t10k-labels-idx1-ubyte.gz'] = gzipSync(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 5, 1));
        writeAll(join(home, 'datasets', 'fashion-mnist'), files);
        await assert.rejects(loadData(), /t10k-labels-idx1-ubyte\.gz has the wrong length: .*\(5\), 5 values, but it holds 1/);
      });
    });
  } finally {
    await server.close();
  }
});
