import assert from 'node:assert/strict';
import test from 'node:test';

test("the package imports by its name ('keras-ts') through package.json exports", async () => {
  const keras = await import('keras-ts');
  assert.equal(typeof keras.tensor, 'function');
  assert.equal(typeof keras.ops.matmul, 'function');
  assert.match(keras.config.backend(), /^wasm (relaxed-simd|simd), \d+ threads?$/);
});

test("browsers get the bundle as 'keras-ts/browser'", async () => {
  const url = import.meta.resolve('keras-ts/browser');
  assert.match(url, /\/dist\/browser\/keras\.js$/);
  const { access } = await import('node:fs/promises');
  await access(new URL(url)); // built by npm run build (scripts/bundle.mjs)
});
