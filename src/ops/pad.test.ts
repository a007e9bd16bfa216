/** keras.ops.pad: values, dtypes, errors, and its gradient on both engines. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { kernels, setKernels } from '../backend/engine.js';
import { referenceKernels } from '../engine/reference/reference_kernels.js';
import { checkGradients, uniformTensor } from '../testing/gradient_check.js';
import { convertToTensor } from './core.js';
import { pad } from './pad.js';

test('pad adds constants before and after each axis, as NumPy does', () => {
  assert.deepEqual(pad(convertToTensor([[1, 2]]), [[1, 0], [0, 2]]).toArray(), [[0, 0, 0, 0], [1, 2, 0, 0]]);
  assert.deepEqual(pad(convertToTensor([1, 2]), 1, 'constant', 7).toArray(), [7, 1, 2, 7]);
  assert.deepEqual(pad(convertToTensor([[1], [2]]), [0, 1]).toArray(), [[1, 0], [2, 0], [0, 0]]);
  const ints = pad(convertToTensor([3, 4], [2], 'int32'), [[2, 0]]);
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.toArray(), [0, 0, 3, 4]);
  const image = pad(uniformTensor([2, 3, 4, 5], 1), [[0, 0], [3, 3], [1, 2], [0, 0]]);
  assert.deepEqual(image.shape, [2, 9, 7, 5]);
});

test('pad rejects bad widths and modes', () => {
  const x = convertToTensor([[1, 2]]);
  assert.throws(() => pad(x, [[1, 1]]), /pad: argument 'padWidth' must be .* one \[before, after\] pair per axis of \(1, 2\), received \[\[1, 1\]\]/);
  assert.throws(() => pad(x, -1), /pad: argument 'padWidth'/);
  assert.throws(() => pad(x, 1, 'reflect' as 'constant'), /pad: argument 'mode' must be 'constant'.*received 'reflect'/);
});

for (const [engine, k] of [['wasm', kernels()], ['reference', referenceKernels]] as const) {
  test(`pad gradient (${engine})`, () => {
    const previous = setKernels(k);
    try {
      checkGradients((x) => pad(x, [[0, 0], [3, 3], [1, 2], [0, 0]]), [uniformTensor([2, 3, 4, 2], 2)]);
      checkGradients((x) => pad(x, 1, 'constant', 0.5), [uniformTensor([3, 2], 3)]);
    } finally {
      setKernels(previous);
    }
  });
}
