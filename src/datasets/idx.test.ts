import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'fflate';
import { loadIdxSplits, parseIdx, readBytes } from './idx.js';
import { idxBytes, ramp, tempDir } from './testing_utils.js';

test('parseIdx reads images and labels as uint8 views of the file', () => {
  const file = idxBytes([2, 3, 4], ramp([2, 3, 4]));
  const images = parseIdx(file, 'images');
  assert.deepEqual([images.shape, images.dtype], [[2, 3, 4], 'uint8']);
  assert.deepEqual([...images.values], [...ramp([2, 3, 4])]);
  assert.equal(images.values.buffer, file.buffer);
  assert.deepEqual(parseIdx(idxBytes([3], Uint8Array.of(5, 0, 4)), 'labels').toArray(), [5, 0, 4]);
});

test('loadIdxSplits reads plain and gzipped files and checks images against labels', async () => {
  const dir = tempDir();
  const write = (name: string, bytes: Uint8Array) => (writeFileSync(join(dir, name), bytes), join(dir, name));
  const paths = [
    write('a.gz', gzipSync(idxBytes([2, 2, 2], ramp([2, 2, 2])))),
    write('b', idxBytes([2], Uint8Array.of(1, 2))),
    write('c', idxBytes([1, 2, 2], ramp([1, 2, 2]))),
    write('d.gz', gzipSync(idxBytes([1], Uint8Array.of(9)))),
  ];
  const [[x, y], [xt, yt]] = await loadIdxSplits(paths);
  assert.deepEqual([x.shape, y.toArray(), xt.shape, yt.toArray()], [[2, 2, 2], [1, 2], [1, 2, 2], [9]]);
  await assert.rejects(loadIdxSplits([paths[0], paths[3], paths[2], paths[1]]), /a\.gz and .*d\.gz do not match/);
});

test('corrupt IDX and gzip files give errors naming the file and the fault', async () => {
  assert.throws(() => parseIdx(Uint8Array.of(0, 0, 9, 3, 0), 'x.idx'), /x\.idx .*bad magic number 0x00000903/);
  assert.throws(() => parseIdx(Uint8Array.of(0, 0), 'x.idx'), /x\.idx .*bad magic number only 2 bytes/);
  const short = idxBytes([2, 3], ramp([2, 3])).subarray(0, 15);
  assert.throws(() => parseIdx(short, 'x.idx'), /x\.idx has the wrong length: .*\(2, 3\), 6 values, but it holds 3/);
  assert.throws(() => parseIdx(idxBytes([2, 3], ramp([2, 3])).subarray(0, 9), 'x.idx'), /x\.idx is truncated/);
  const path = join(tempDir(), 'broken.gz');
  writeFileSync(path, gzipSync(idxBytes([100], ramp([100]))).subarray(0, 20));
  await assert.rejects(readBytes(path), /broken\.gz is not a valid gzip file/);
});
