import assert from 'node:assert/strict';
import test from 'node:test';
import { PickledArray, unpickle } from './pickle.js';
import { cifarPickle, ramp } from './testing_utils.js';

test('unpickle rebuilds a CIFAR batch: bytes keys as strings, the uint8 array as a view, label lists', () => {
  const bytes = cifarPickle(ramp([2, 3072]), { labels: [3, 300] });
  const dict = unpickle(bytes, 'batch') as Map<string, unknown>;
  assert.deepEqual([...dict.keys()], ['data', 'labels', 'batch_label']);
  const data = dict.get('data') as PickledArray;
  assert.ok(data instanceof PickledArray);
  assert.deepEqual(data.shape, [2, 3072]);
  assert.deepEqual([...data.data], [...ramp([2, 3072])]);
  assert.equal(data.data.buffer, bytes.buffer);
  assert.deepEqual(dict.get('labels'), [3, 300]);
});

test('unpickle refuses globals other than NumPy array reconstruction, as Keras does', () => {
  const evil = Uint8Array.from([0x80, 2, 0x63, ...new TextEncoder().encode('os\nsystem\n'), 0x2e]);
  assert.throws(() => unpickle(evil, 'evil.pkl'), /evil\.pkl .*refusing to deserialize `os\.system`/);
});

test('truncated or invalid pickles give errors naming the file and the fault', () => {
  const bytes = cifarPickle(ramp([1, 3072]), { labels: [1] });
  assert.throws(() => unpickle(bytes.subarray(0, 200), 'cut.pkl'), /cut\.pkl is not a valid pickle .*truncated: 3072 bytes needed/);
  assert.throws(() => unpickle(Uint8Array.of(0x80, 2, 0xff), 'junk.pkl'), /junk\.pkl .*unsupported opcode 0xff \(opcode at byte 2\)/);
  assert.throws(() => unpickle(Uint8Array.of(0x80, 2, 0x2e), 'empty.pkl'), /empty\.pkl .*stack underflow/);
});
