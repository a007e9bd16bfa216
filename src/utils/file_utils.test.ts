import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'fflate';
import { serve, tarBytes, tempDir } from '../datasets/testing_utils.js';
import { cachePaths, getFile, hashFile } from './file_utils.js';

const body = new TextEncoder().encode('some dataset bytes\n'.repeat(1000));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('cachePaths follows Keras: datasets/<fname>, and <fname>_archive beside the folder it extracts into', () => {
  assert.deepEqual(cachePaths('mnist.npz', { cacheDir: '/k' }), { downloadTarget: '/k/datasets/mnist.npz', extractionDir: null });
  assert.deepEqual(cachePaths('cifar-10-batches-py-target', { cacheDir: '/k', extract: true }), {
    downloadTarget: '/k/datasets/cifar-10-batches-py-target_archive',
    extractionDir: '/k/datasets/cifar-10-batches-py-target',
  });
  assert.throws(() => cachePaths('a/b'), /Paths are no longer accepted/);
});

test('getFile downloads with the hash checked, then uses the cached file', async () => {
  const server = await serve({ 'data.bin': body });
  try {
    const cacheDir = tempDir();
    const path = await getFile('data.bin', `${server.url}data.bin`, { cacheDir, fileHash: sha256(body) });
    assert.equal(path, join(cacheDir, 'datasets', 'data.bin'));
    assert.deepEqual(new Uint8Array(readFileSync(path)), body);
    assert.equal(await hashFile(path), sha256(body));
    await getFile('data.bin', `${server.url}data.bin`, { cacheDir, fileHash: sha256(body) });
    assert.deepEqual(server.requested, ['data.bin']);
  } finally {
    await server.close();
  }
});

test('a download with the wrong hash or a server error leaves nothing in the cache', async () => {
  const server = await serve({ 'data.bin': body });
  try {
    const cacheDir = tempDir();
    await assert.rejects(
      getFile('data.bin', `${server.url}data.bin`, { cacheDir, fileHash: '0'.repeat(64) }),
      /Incomplete or corrupted file detected. The auto file hash does not match the provided value of 0{64}/,
    );
    assert.deepEqual(readdirSync(join(cacheDir, 'datasets')), []);
    await assert.rejects(getFile('gone.bin', `${server.url}gone.bin`, { cacheDir }), /URL fetch failure on .*gone\.bin: 500/);
    assert.deepEqual(readdirSync(join(cacheDir, 'datasets')), []);
  } finally {
    await server.close();
  }
});

test('getFile extracts a tar.gz into the folder named after fname, skipping paths that leave it', async () => {
  const archive = gzipSync(tarBytes({ 'top/': new Uint8Array(0), 'top/a.txt': body, '../evil.txt': body }));
  const server = await serve({ 'a.tar.gz': archive });
  try {
    const cacheDir = tempDir();
    const dir = await getFile('things', `${server.url}a.tar.gz`, { cacheDir, extract: true, fileHash: sha256(archive) });
    assert.equal(dir, join(cacheDir, 'datasets', 'things'));
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'top', 'a.txt'))), body);
    assert.deepEqual(readdirSync(join(cacheDir, 'datasets')).sort(), ['things', 'things_archive']);
    assert.ok(!existsSync(join(cacheDir, 'datasets', 'evil.txt')));
  } finally {
    await server.close();
  }
});
