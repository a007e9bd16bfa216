/** loadImg / imgToArray on files written with sharp (and a BMP written by hand), and resizeImage's arithmetic. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import { imgToArray, loadImg, resizeImage } from './image_utils.js';

const dir = mkdtempSync(join(tmpdir(), 'keras-ts-img-'));

/** A width x height PNG of one RGBA colour. */
async function solid(name: string, width: number, height: number, rgba: number[]): Promise<string> {
  const path = join(dir, name);
  await sharp({ create: { width, height, channels: 4, background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] / 255 } } })
    .png().toFile(path);
  return path;
}

/** A 24-bit bottom-up BMP from rows of [r, g, b] pixels (top row first). */
function bmp24(name: string, rows: number[][][]): string {
  const width = rows[0].length;
  const stride = Math.ceil((24 * width) / 32) * 4;
  const bytes = Buffer.alloc(54 + stride * rows.length);
  bytes.write('BM', 0);
  bytes.writeUInt32LE(bytes.length, 2);
  bytes.writeUInt32LE(54, 10);
  bytes.writeUInt32LE(40, 14);
  bytes.writeInt32LE(width, 18);
  bytes.writeInt32LE(rows.length, 22);
  bytes.writeUInt16LE(1, 26);
  bytes.writeUInt16LE(24, 28);
  rows.forEach((row, y) => row.forEach(([r, g, b], x) => {
    bytes.set([b, g, r], 54 + (rows.length - 1 - y) * stride + 3 * x);
  }));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('loadImg keeps the size and converts the color mode; imgToArray gives float32 HxWxC', async () => {
  const path = await solid('red.png', 5, 3, [255, 0, 0, 128]);
  const rgb = await loadImg(path);
  assert.deepEqual([rgb.width, rgb.height, rgb.channels], [5, 3, 3]);
  const x = imgToArray(rgb);
  assert.deepEqual([x.shape, x.dtype], [[3, 5, 3], 'float32']);
  assert.deepEqual(Array.from(x.dataSync().subarray(0, 3)), [255, 0, 0]);
  // PIL's convert("L"): 255 * 299/1000 rounds to 76.
  assert.deepEqual(Array.from(imgToArray(await loadImg(path, { colorMode: 'grayscale' })).dataSync().subarray(0, 2)), [76, 76]);
  assert.deepEqual(Array.from(imgToArray(await loadImg(path, { colorMode: 'rgba' })).dataSync().subarray(0, 4)), [255, 0, 0, 128]);
});

test('loadImg resizes to targetSize, optionally cropping to the aspect ratio', async () => {
  const path = await solid('green.png', 40, 20, [0, 200, 0, 255]);
  const img = await loadImg(path, { targetSize: [8, 6], interpolation: 'bilinear' });
  assert.deepEqual([img.height, img.width], [8, 6]);
  assert.ok(imgToArray(img).dataSync().every((v, i) => v === [0, 200, 0][i % 3]));
  const cropped = await loadImg(path, { targetSize: [10, 10], keepAspectRatio: true });
  assert.deepEqual([cropped.height, cropped.width, cropped.channels], [10, 10, 3]);
  await assert.rejects(loadImg(path, { targetSize: [4, 4], interpolation: 'hamming' as 'nearest' }),
    /Invalid interpolation method hamming specified. Supported methods are nearest, bilinear, bicubic, lanczos/);
  await assert.rejects(loadImg(path, { colorMode: 'cmyk' as 'rgb' }), /`color_mode` must be one of/);
});

test('a BMP is read top row first, and an unreadable file is named', async () => {
  const path = bmp24('two.bmp', [[[255, 0, 0], [0, 255, 0], [1, 2, 3]], [[0, 0, 255], [9, 9, 9], [4, 5, 6]]]);
  const x = imgToArray(await loadImg(path));
  assert.deepEqual(x.shape, [2, 3, 3]);
  assert.deepEqual(Array.from(x.dataSync()), [255, 0, 0, 0, 255, 0, 1, 2, 3, 0, 0, 255, 9, 9, 9, 4, 5, 6]);
  const broken = join(dir, 'broken.jpg');
  writeFileSync(broken, 'not an image');
  await assert.rejects(loadImg(broken), (e: Error) => e.message.startsWith(`Could not read the image file ${broken}: `));
});

test('resizeImage follows tf.image.resize (half-pixel centres) and smart_resize\'s crop', () => {
  const row = Float32Array.from([0, 255]);
  assert.deepEqual(Array.from(resizeImage(row, [1, 2, 1], [1, 4], 'bilinear')), [0, 63.75, 191.25, 255]);
  assert.deepEqual(Array.from(resizeImage(row, [1, 2, 1], [1, 4], 'nearest')), [0, 0, 255, 255]);
  // A 4x1 column to 1x1 with the crop: the centred 1x1 window is row 1 (Keras: int((4 - 1) / 2)).
  const column = Float32Array.from([10, 20, 30, 40]);
  assert.deepEqual(Array.from(resizeImage(column, [4, 1, 1], [1, 1], 'bilinear', true)), [20]);
  assert.deepEqual(Array.from(resizeImage(column, [4, 1, 1], [1, 1], 'bilinear')), [25]);
});
