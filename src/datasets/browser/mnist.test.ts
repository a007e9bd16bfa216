import assert from 'node:assert/strict';
import test from 'node:test';
import { npzBytes, ramp, serve } from '../testing_utils.js';
import { loadData } from './mnist.js';

test("the browser's MNIST comes from a URL; a failed download or a file without Keras's arrays says which", async () => {
  const server = await serve({
    'sample.npz': npzBytes({
      x_train: [[2, 28, 28], ramp([2, 28, 28])], y_train: [[2], Uint8Array.of(3, 4)],
      x_test: [[1, 28, 28], ramp([1, 28, 28])], y_test: [[1], Uint8Array.of(7)],
    }),
    'other.npz': npzBytes({ a: [[1], ramp([1])] }),
  });
  try {
    const [[x, y], [xt, yt]] = await loadData(`${server.url}sample.npz`);
    assert.deepEqual([x.shape, y.toArray(), xt.shape, yt.toArray()], [[2, 28, 28], [3, 4], [1, 28, 28], [7]]);
    await assert.rejects(loadData(`${server.url}missing.npz`), /could not download http:\/\/127\.0\.0\.1:\d+\/missing\.npz: HTTP 500/);
    await assert.rejects(loadData(`${server.url}other.npz`), /other\.npz has no array 'x_train' \(found: a\)/);
  } finally {
    await server.close();
  }
});
