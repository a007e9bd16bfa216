/** Forward semantics of the ops: values, shapes, dtypes and errors (gradients: gradients.test.ts). */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as keras from '../index.js';
import { kernels } from '../backend/engine.js';
import type { WasmKernels } from '../engine/wasm/wasm_kernels.js';

const { ops } = keras;
const t = keras.tensor;

test('arithmetic broadcasts like NumPy and keeps integer dtypes integral', () => {
  assert.deepEqual(ops.add(t([[1, 2, 3], [4, 5, 6]]), t([10, 20, 30])).toArray(), [[11, 22, 33], [14, 25, 36]]);
  assert.deepEqual(ops.subtract(t([[1], [2]]), t([1, 2, 3])).toArray(), [[0, -1, -2], [1, 0, -1]]);
  const ints = t([1, 2, 3], [3], 'int32');
  assert.equal(ops.add(ints, 1).dtype, 'int32');
  assert.equal(ops.add(ints, 1.5).dtype, 'float32');
  assert.equal(ops.divide(ints, 2).dtype, 'float32');
  assert.deepEqual(ops.divide(ints, 2).toArray(), [0.5, 1, 1.5]);
  assert.equal(ops.equal(ints, 2).dtype, 'bool');
  assert.deepEqual(ops.equal(ints, 2).toArray(), [false, true, false]);
  assert.throws(() => ops.add(t([1, 2, 3]), t([1, 2])), /add: cannot broadcast shapes \(3,\) and \(2,\)/);
});

test('reductions over axes, keepdims, argmax', () => {
  const x = t([[1, 5, 3], [4, 2, 6]]);
  assert.deepEqual(ops.sum(x).toArray(), 21);
  assert.deepEqual(ops.sum(x, 0).toArray(), [5, 7, 9]);
  assert.deepEqual(ops.mean(x, 1, true).toArray(), [[3], [4]]);
  assert.deepEqual(ops.max(x, -1).toArray(), [5, 6]);
  assert.deepEqual(ops.min(x, [0, 1]).toArray(), 1);
  assert.deepEqual(ops.argmax(x, 1).toArray(), [1, 2]);
  assert.deepEqual(ops.argmax(x).toArray(), 5);
  assert.deepEqual(ops.argmin(x, 0).toArray(), [0, 1, 0]);
  assert.throws(() => ops.sum(x, 2), /sum: axis 2 is out of bounds for a tensor of rank 2/);
});

test('matmul follows NumPy: 2-D, batched with broadcasting, 1-D promotion', () => {
  const a = t([[1, 2], [3, 4]]);
  assert.deepEqual(ops.matmul(a, a).toArray(), [[7, 10], [15, 22]]);
  assert.deepEqual(ops.matmul(t([1, 1]), a).toArray(), [4, 6]);
  assert.deepEqual(ops.matmul(a, t([1, 1])).toArray(), [3, 7]);
  const batch = ops.reshape(t(new Float32Array(12).map((_, i) => i)), [3, 2, 2]);
  assert.deepEqual(ops.matmul(batch, a).shape, [3, 2, 2]);
  assert.deepEqual(ops.matmul(batch, a).toArray(), [[[3, 4], [11, 16]], [[19, 28], [27, 40]], [[35, 52], [43, 64]]]);
  assert.throws(() => ops.matmul(t([[1, 2, 3]]), a), /matmul: inner dimensions do not match: \(1, 3\) @ \(2, 2\)/);
});

test('shape ops: reshape, transpose, expandDims, squeeze, concatenate, slice', () => {
  const x = ops.reshape(t(new Float32Array(24).map((_, i) => i)), [2, 3, 4]);
  assert.deepEqual(ops.transpose(x, [2, 0, 1]).shape, [4, 2, 3]);
  assert.equal((ops.transpose(x, [2, 0, 1]).toArray() as number[][][])[1][1][2], x.values[1 * 12 + 2 * 4 + 1]);
  assert.deepEqual(ops.transpose(t([[1, 2, 3]])).toArray(), [[1], [2], [3]]);
  assert.deepEqual(ops.expandDims(t([1, 2]), 0).shape, [1, 2]);
  assert.deepEqual(ops.squeeze(t([[[1], [2]]])).shape, [2]);
  assert.deepEqual(ops.concatenate([t([[1, 2]]), t([[3, 4], [5, 6]])], 0).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(ops.concatenate([t([[1], [2]]), t([[3, 4], [5, 6]])], -1).toArray(), [[1, 3, 4], [2, 5, 6]]);
  // keras.ops.slice is NumPy's x[:, 1:3, 2:4]
  assert.deepEqual(ops.slice(x, [0, 1, 2], [2, 2, 2]).toArray(), [[[6, 7], [10, 11]], [[18, 19], [22, 23]]]);
  // whole trailing axes are copied as one run: x[:, 1:3, :], x[1:2], x[1:2, 1:2, 1:3]
  assert.deepEqual(ops.slice(x, [0, 1, 0], [2, 2, 4]).toArray(),
    [[[4, 5, 6, 7], [8, 9, 10, 11]], [[16, 17, 18, 19], [20, 21, 22, 23]]]);
  assert.deepEqual(ops.slice(x, [1, 0, 0], [1, 3, 4]).dataSync(), Float32Array.from({ length: 12 }, (_, i) => 12 + i));
  assert.deepEqual(ops.slice(x, [1, 1, 1], [1, 1, 2]).toArray(), [[[17, 18]]]);
  assert.throws(() => ops.squeeze(x, 1), /squeeze: cannot squeeze axis 1 of size 3/);
  assert.throws(() => ops.slice(x, [0, 2, 0], [1, 2, 1]), /do not fit inside \(2, 3, 4\)/);
});

test('conv and pooling: output shapes and Keras-style padding', () => {
  const x = ops.ones([2, 28, 28, 1]);
  const w = ops.ones([3, 3, 1, 32]);
  assert.deepEqual(ops.conv(x, w).shape, [2, 26, 26, 32]);
  assert.deepEqual(ops.conv(x, w, { strides: 2, padding: 'same' }).shape, [2, 14, 14, 32]);
  assert.deepEqual(ops.maxPool(ops.ones([1, 26, 26, 32]), 2).shape, [1, 13, 13, 32]);
  assert.deepEqual(ops.averagePool(ops.ones([1, 5, 5, 1]), 2, { strides: 2, padding: 'same' }).shape, [1, 3, 3, 1]);
  // 'same' average pooling averages over the cells inside the input only: all ones stay ones.
  assert.deepEqual(ops.averagePool(ops.ones([1, 5, 5, 1]), 2, { strides: 2, padding: 'same' }).dataSync(), new Float32Array(9).fill(1));
  // A 3x3 all-ones kernel on all-ones input: every 'same' border pixel sees fewer taps.
  const edge = ops.conv(ops.ones([1, 3, 3, 1]), ops.ones([3, 3, 1, 1]), { padding: 'same' });
  assert.deepEqual(edge.dataSync(), new Float32Array([4, 6, 4, 6, 9, 6, 4, 6, 4]));
  assert.throws(() => ops.conv(ops.ones([28, 28, 1]), w), /conv: argument 'inputs' must have rank 4, received rank 3 with shape \(28, 28, 1\)/);
  assert.throws(() => ops.conv(ops.ones([1, 2, 2, 1]), w), /spans 3 pixels, more than the input's 2/);
  assert.throws(() => ops.conv(ops.ones([1, 5, 5, 2]), w), /kernel's input channels \(1.*must equal the input's channels \(2/);
  assert.throws(() => ops.conv(x, w, { strides: 0 }), /argument 'strides' must be a positive integer/);
});

test('softmax and cross-entropies agree with their definitions', () => {
  const logits = t([[1, 2, 3], [1, 1, 1]]);
  const p = ops.softmax(logits).toArray() as number[][];
  assert.ok(Math.abs(p[0][2] - Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) < 1e-6);
  assert.ok(Math.abs(p[1][0] - 1 / 3) < 1e-6);
  const fromLogits = ops.categoricalCrossentropy(t([[0, 0, 1], [1, 0, 0]]), logits, true).toArray() as number[];
  const sparse = ops.sparseCategoricalCrossentropy(t([2, 0], [2], 'int32'), logits, true).toArray() as number[];
  const fromProbs = ops.categoricalCrossentropy(t([[0, 0, 1], [1, 0, 0]]), ops.softmax(logits)).toArray() as number[];
  assert.ok(Math.abs(fromLogits[1] - Math.log(3)) < 1e-6);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(fromLogits[i] - sparse[i]) < 1e-6);
    assert.ok(Math.abs(fromLogits[i] - fromProbs[i]) < 1e-5);
  }
  assert.throws(() => ops.categoricalCrossentropy(t([2, 0], [2], 'int32'), logits),
    /target and output must have the same shape.*use sparseCategoricalCrossentropy/);
  assert.throws(() => ops.sparseCategoricalCrossentropy(t([3, 0], [2], 'int32'), logits, true), /labels must be integers in \[0, 3\), received 3/);
});

test('random ops are seedable and dropout keeps the expected value', () => {
  const a = keras.random.uniform([1000], { seed: 7 });
  const b = keras.random.uniform([1000], { seed: 7 });
  assert.deepEqual(a.dataSync(), b.dataSync());
  keras.utils.setRandomSeed(42);
  const c = keras.random.normal([10]).dataSync();
  keras.utils.setRandomSeed(42);
  assert.deepEqual(keras.random.normal([10]).dataSync(), c);
  const dropped = keras.random.dropout(ops.ones([20000]), 0.25, { seed: 1 });
  const m = ops.mean(dropped).toArray() as number;
  assert.ok(Math.abs(m - 1) < 0.03, `mean after dropout ${m}`);
  assert.throws(() => keras.random.dropout(ops.ones([2]), 1), /dropout: rate must be in \[0, 1\), received 1/);
});

test('conv backward skips gradients nobody asked for, and the others stay the same', () => {
  const x = keras.random.normal([2, 6, 6, 3], { seed: 1 });
  const w = keras.random.normal([3, 3, 3, 4], { seed: 2 });
  const loss = (a: keras.Tensor, b: keras.Tensor) => ops.sum(ops.square(ops.conv(a, b)));
  const both = ops.valueAndGrad(loss)(x, w).grads;
  const kernelOnly = ops.valueAndGrad(loss, [1])(x, w).grads;
  assert.equal(kernelOnly.length, 1);
  assert.deepEqual(kernelOnly[0].dataSync(), both[1].dataSync());
});

test('valueAndGrad of a small model', () => {
  const f = ops.valueAndGrad((w) => ops.sum(ops.square(w)));
  const { value, grads } = f(t([1, 2]));
  assert.equal(value.toArray(), 5);
  assert.deepEqual(grads[0].toArray(), [2, 4]);
  assert.throws(() => ops.valueAndGrad((w) => ops.square(w))(t([1, 2])), /must return a scalar tensor, received a tensor of shape \(2,\)/);
  // argnums: differentiate only some arguments; the others may be integers (labels).
  const labels = t([1, 0], [2], 'int32');
  const loss = ops.valueAndGrad((y, z) => ops.sum(ops.sparseCategoricalCrossentropy(y, z, true)), [1]);
  const { grads: [dz] } = loss(labels, t([[0, 0], [0, 0]]));
  assert.deepEqual(dz.toArray(), [[0.5, -0.5], [-0.5, 0.5]]);
  assert.throws(() => ops.valueAndGrad((y) => ops.sum(y))(labels), /argument 0 must be float32 to be differentiated, received int32/);
});

test('memory: 10,000 dropped 1 MB tensors through a kernel leave the heap bounded', () => {
  const runtime = (kernels() as WasmKernels).runtime;
  const mb = 1 << 18; // float32 values per megabyte
  ops.negative(ops.ones([mb]));
  const engineBytes = runtime.memoryBytes;
  const start = process.memoryUsage();
  let checksum = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = keras.tensor(new Float32Array(mb).fill(i));
    checksum += ops.negative(x).values[mb - 1];
  }
  const end = process.memoryUsage();
  assert.equal(checksum, -((9999 * 10000) / 2));
  assert.equal(runtime.memoryBytes, engineBytes, 'engine memory grew');
  const grown = (end.rss - start.rss) / 2 ** 20;
  assert.ok(grown < 512, `RSS grew by ${grown.toFixed(0)} MB over 10,000 MB of dropped tensors`);
});
