import assert from 'node:assert/strict';
import test from 'node:test';
import { fashionMnistFiles, serve } from '../testing_utils.js';
import { loadData } from './fashion_mnist.js';

test("the browser's Fashion-MNIST comes from a folder URL; a missing or broken file is named", async () => {
  const files = fashionMnistFiles(5);
  const server = await serve({
    ...Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`fashion/${name}`, bytes])),
    ...Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`broken/${name}`, name.startsWith('t10k-labels') ? Uint8Array.of(0x1f, 0x8b, 1) : bytes])),
  });
  try {
    const [[x, y], [xt, yt]] = await loadData(`${server.url}fashion`); // the trailing slash is optional
    assert.deepEqual([x.shape, y.toArray(), xt.shape, yt.toArray()], [[2, 28, 28], [5, 6], [1, 28, 28], [5]]);
    assert.equal(x.dtype, 'uint8');
    await assert.rejects(loadData(`${server.url}missing/`), /could not download http:\/\/127\.0\.0\.1:\d+\/missing\/train-images-idx3-ubyte\.gz: HTTP/);
    await assert.rejects(loadData(`${server.url}broken/`), /broken\/t10k-labels-idx1-ubyte\.gz is not a valid gzip file/);
  } finally {
    await server.close();
  }
});
