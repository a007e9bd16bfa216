import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { zipSync } from 'fflate';
import { parseNpy, readNpz } from './npz.js';
import { npyBytes, npzBytes, ramp, tempDir } from './testing_utils.js';

test('readNpz reads the uint8 arrays of an npz file by name', async () => {
  const path = join(tempDir(), 'small.npz');
  writeFileSync(path, npzBytes({ x_train: [[2, 3, 3], ramp([2, 3, 3])], y_train: [[2], Uint8Array.of(7, 1)] }));
  const arrays = await readNpz(path);
  assert.deepEqual([...arrays.keys()], ['x_train', 'y_train']);
  assert.deepEqual(arrays.get('x_train')!.shape, [2, 3, 3]);
  assert.deepEqual([...arrays.get('x_train')!.values], [...ramp([18])]);
  assert.deepEqual(arrays.get('y_train')!.toArray(), [7, 1]);
});

test('parseNpy reads version 2 headers and little-endian descriptors', () => {
  const v1 = npyBytes([2, 2], ramp([4]), '<u1');
  const v2 = new Uint8Array(v1.length + 2);
  v2.set(v1.subarray(0, 8));
  v2.set([2, 0, v1[8], v1[9], 0, 0], 6);
  v2.set(v1.subarray(10), 12);
  assert.deepEqual(parseNpy(v2, 'v2.npy').toArray(), [[0, 1], [2, 3]]);
});

test('corrupt npz and npy files give errors naming the file and the fault', async () => {
  const dir = tempDir();
  const npz = (name: string, bytes: Uint8Array) => (writeFileSync(join(dir, name), bytes), readNpz(join(dir, name)));
  await assert.rejects(npz('text.npz', new TextEncoder().encode('hello')), /text\.npz is not a valid \.npz \(zip\) file: .*zip signature/);
  const good = npzBytes({ a: [[1000], ramp([1000])] });
  await assert.rejects(npz('cut.npz', good.subarray(0, 60)), /cut\.npz is not a valid \.npz \(zip\) file/);
  await assert.rejects(npz('magic.npz', zipSync({ 'a.npy': new Uint8Array(20) })), /magic\.npz\/a\.npy .*bad magic string/);
  await assert.rejects(
    npz('short.npz', zipSync({ 'a.npy': npyBytes([10], ramp([10])).subarray(0, -4) })),
    /short\.npz\/a\.npy .*wrong length: shape \(10\) needs 10 bytes, found 6/,
  );
  assert.throws(() => parseNpy(npyBytes([1], ramp([4]), '<f4'), 'f.npy'), /f\.npy .*dtype '<f4'/);
});
