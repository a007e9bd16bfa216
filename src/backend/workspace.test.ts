import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';
import { referenceKernels } from '../engine/reference/reference_kernels.js';
import type { WasmKernels } from '../engine/wasm/wasm_kernels.js';
import { add, matmul, multiply } from '../ops/numpy.js';
import { kernels, setKernels } from './engine.js';
import { Tensor } from './tensor.js';
import { Variable } from './variable.js';
import { inWorkspace } from './workspace.js';

const runtime = (): WasmKernels['runtime'] => (kernels() as WasmKernels).runtime;
/** Engine memory is the one SharedArrayBuffer here; tensors on the heap have plain ArrayBuffers. */
const inEngineMemory = (t: Tensor): boolean => t.values.buffer instanceof SharedArrayBuffer;

test('a workspace step computes in engine memory, returns its result on the heap and releases the rest', () => {
  const a = keras.tensor([[1, 2], [3, 4]]);
  const b = keras.tensor([[5, 6], [7, 8]]);
  let inside: Tensor | null = null;
  const result = inWorkspace(() => {
    inside = matmul(a, b);
    assert.ok(inEngineMemory(inside), 'a tensor computed in the step lives in engine memory');
    return add(inside, inside);
  });
  assert.ok(!inEngineMemory(result), 'the returned tensor moved to the heap');
  assert.deepEqual(result.toArray(), [[38, 44], [86, 100]]);
  assert.throws(() => inside!.values, /values were released when the training or prediction step that computed it ended/);
  assert.deepEqual(inside!.shape, [2, 2], 'a released tensor keeps its shape');
  assert.deepEqual(a.toArray(), [[1, 2], [3, 4]], 'tensors from before the step are untouched');
});

test('a variable assigned in a workspace keeps its value after the step', () => {
  const v = new Variable(keras.tensor([1, 2, 3]), { name: 'v' });
  inWorkspace(() => v.assign(multiply(v.value, keras.tensor(2))));
  inWorkspace(() => {
    // The next step allocates over the memory the previous one freed.
    multiply(keras.tensor([9, 9, 9]), keras.tensor(9));
  });
  assert.deepEqual(v.value.toArray(), [2, 4, 6]);
  assert.ok(!inEngineMemory(v.value));
});

test('workspaces nest, free everything when they close, even when the step throws', () => {
  const before = runtime().memoryBytes;
  const x = keras.tensor(new Float32Array(1 << 16).fill(1), [256, 256]);
  for (let i = 0; i < 50; i++) {
    const outer = inWorkspace(() => {
      const y = add(x, x);
      const inner = inWorkspace(() => multiply(y, y));
      assert.ok(!inEngineMemory(inner));
      return add(inner, y);
    });
    assert.equal(outer.values[0], 6);
    assert.throws(() => inWorkspace(() => {
      add(x, x);
      throw new Error('step failed');
    }), /step failed/);
  }
  // After the first round the same addresses are reused: memory does not grow step after step.
  const after = runtime().memoryBytes;
  for (let i = 0; i < 50; i++) inWorkspace(() => add(x, x));
  assert.equal(runtime().memoryBytes, after);
  assert.ok(after - before <= 16 << 20, `engine memory grew by ${after - before} bytes`);
});

test('the reference engine has no workspace: steps run on the heap', () => {
  const previous = setKernels(referenceKernels);
  try {
    let inside: Tensor | null = null;
    inWorkspace(() => {
      inside = add(keras.tensor([1]), keras.tensor([2]));
    });
    assert.deepEqual(inside!.toArray(), [3]);
  } finally {
    setKernels(previous);
  }
});
