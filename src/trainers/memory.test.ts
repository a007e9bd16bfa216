/**
 * Memory stays flat over a long training run: 100 epochs of M1 on 1,000 images. The heap, the
 * typed arrays and the engine's WebAssembly memory are sampled after a full GC at epoch 10 and
 * at the last epoch; a leak of even one batch-sized tensor per step would show as ~100s of MB.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as keras from '../index.js';
import { kernels } from '../backend/engine.js';
import type { WasmKernels } from '../engine/wasm/wasm_kernels.js';
import { tutorialLayers } from '../testing/tutorial_models.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  heap: number;
  arrayBuffers: number;
  engine: number;
}

function sample(): Sample {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, arrayBuffers, engine: (kernels() as WasmKernels).runtime.memoryBytes };
}

test('100 epochs of M1 on 1,000 images do not grow memory', { timeout: 600_000 }, async () => {
  const model = new keras.Sequential(tutorialLayers('M1'));
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const x = keras.random.uniform([1000, 28, 28, 1], { seed: 1 });
  const y = keras.tensor(new Int32Array(1000).map((_, i) => i % 10), [1000], 'int32');
  const samples: Sample[] = [];
  class Sampler extends keras.callbacks.Callback {
    override onEpochEnd(epoch: number): void {
      if (epoch === 9 || epoch === 99) samples.push(sample());
    }
  }
  await model.fit(x, y, { epochs: 100, batchSize: 128, verbose: 0, callbacks: [new Sampler()] });
  const [early, late] = samples;
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  assert.ok(late.heap - early.heap < 16 * 2 ** 20, `JS heap grew from ${mb(early.heap)} to ${mb(late.heap)} MB`);
  assert.ok(late.arrayBuffers - early.arrayBuffers < 16 * 2 ** 20,
    `typed arrays grew from ${mb(early.arrayBuffers)} to ${mb(late.arrayBuffers)} MB`);
  assert.equal(late.engine, early.engine, 'engine memory grew');
});
