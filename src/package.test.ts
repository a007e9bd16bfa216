import assert from 'node:assert/strict';
import test from 'node:test';

test("the package imports by its name ('keras-ts') through package.json exports", async () => {
  const keras = await import('keras-ts');
  assert.equal(typeof keras.tensor, 'function');
  assert.equal(typeof keras.ops.matmul, 'function');
  assert.match(keras.config.backend(), /^wasm (relaxed-simd|simd), \d+ threads?$/);
});
