import assert from 'node:assert/strict';
import test from 'node:test';
import { WasmRuntime } from './runtime.js';
import { createWasmKernels } from './wasm_kernels.js';

test('runtime: module loads on shared memory, arena is released after a call', async () => {
  const rt = await WasmRuntime.create({ threads: 2 });
  try {
    assert.equal(rt.threads, 2);
    const x = new Float32Array([1, 2, 3]);
    const out = new Float32Array(3);
    const before = rt.memoryBytes;
    rt.call([x], [out], ([px], [po]) => {
      assert.deepEqual([...rt.f32(px, 3)], [1, 2, 3]);
      rt.f32(po, 3).set([4, 5, 6]);
    });
    assert.deepEqual([...out], [4, 5, 6]);
    // A second call reuses the same arena addresses: nothing stays allocated between calls.
    let first = 0;
    rt.call([x], [], ([px]) => { first = px; });
    rt.call([x], [], ([px]) => assert.equal(px, first));
    assert.equal(rt.memoryBytes, before);
  } finally {
    rt.close();
  }
});

test('a job posted right after start-up runs on every thread (no missed wake-up)', { timeout: 30_000 }, async () => {
  const x = new Float32Array(1 << 20).fill(1);
  for (let i = 0; i < 10; i++) {
    const k = await createWasmKernels({ threads: 2 });
    try {
      const out = new Float32Array(x.length);
      k.unary('exp', x, out, { alpha: 0 }); // big enough to be split across both threads
      assert.equal(out[out.length - 1], Math.fround(Math.E));
    } finally {
      k.runtime.close();
    }
  }
});
