import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { convertToTensor as tensor } from '../ops/core.js';
import { plotImageGallery } from './plot_image_gallery.js';
import { decodePng, findSquare, scratchFolder } from './test_png.js';

const folder = scratchFolder();
const CIFAR10 = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

test('plotImageGallery: grey 28x28 digits in a grid, crisp, with class-name captions', async () => {
  // Images 0-2 are flat greys 20, 60, 100; image 3 is a checkerboard of single black and white pixels.
  const values = new Uint8Array(4 * 28 * 28);
  for (let i = 0; i < 3 * 784; i++) values[i] = 20 + 40 * Math.floor(i / 784);
  for (let p = 0; p < 784; p++) values[3 * 784 + p] = (Math.floor(p / 28) + p) % 2 ? 255 : 0;
  const path = join(folder, 'gallery_grey.png');
  await plotImageGallery(tensor(values, [4, 28, 28]), { path, labels: [3, 5, 0, 9], labelMap: CIFAR10 });
  const png = await decodePng(path);
  const first = findSquare(png, [20, 20, 20], 112);
  const second = findSquare(png, [60, 60, 60], 112);
  const third = findSquare(png, [100, 100, 100], 112);
  assert.ok(first && second && third, '28x28 at the default scale 4 is 112x112');
  assert.equal(second[1], first[1], 'two columns for four images');
  assert.equal(third[0], first[0]);
  assert.ok(third[1] >= first[1] + 112 + 22, 'the second row sits below the first caption');
  const [x, y] = [second[0], third[1]];
  assert.deepEqual([png.rgb(x, y), png.rgb(x + 3, y + 3), png.rgb(x + 4, y), png.rgb(x + 4, y + 4)],
    [[0, 0, 0], [0, 0, 0], [255, 255, 255], [0, 0, 0]], 'nearest neighbour: 4x4 squares, no blur');
  assert.deepEqual(png.rgb(0, 0), [255, 255, 255]);
  assert.deepEqual(png.rgb(png.width - 1, png.height - 1), [255, 255, 255]);
  assert.ok(png.ink(first[0], first[1] + 113, first[0] + 112, first[1] + 112 + 22) > 40, "caption 'cat'");
  assert.ok(png.ink(x, y + 113, x + 112, y + 112 + 22) > 40, "caption 'truck'");
  assert.equal(png.ink(first[0] - 8, first[1] - 8, first[0] - 1, first[1] + 100), 0, 'white between images');
});

test('plotImageGallery: RGB floats in [0, 1], (N, H, W, 1) typed arrays, valueRange, rows and cols', async () => {
  const rgb = new Float32Array(3 * 8 * 8 * 3).map((_, i) => [1, 0.5, 0][i % 3]);
  const path = join(folder, 'gallery_rgb.png');
  await plotImageGallery(rgb, { path, shape: [3, 8, 8, 3], labels: tensor([[0, 1], [1, 0], [0, 1]]), rows: 1 });
  const png = await decodePng(path);
  const orange = findSquare(png, [255, 128, 0], 96);
  assert.ok(orange, '8x8 at the default scale 12');
  assert.ok(png.width > 3 * 96 && png.height < 96 + 60, `one row of three: ${png.width}x${png.height}`);
  assert.ok(png.ink(orange[0], orange[1] + 97, orange[0] + 96, orange[1] + 96 + 22) > 10, "caption '1'");

  const signed = join(folder, 'gallery_range.png');
  const options = { path: signed, shape: [2, 5, 5, 1], valueRange: [-1, 1], scale: 6, cols: 1 } as const;
  await plotImageGallery(new Float32Array(2 * 5 * 5), options);
  const grey = await decodePng(signed);
  assert.ok(findSquare(grey, [128, 128, 128], 30), 'valueRange [-1, 1] puts 0 at mid grey');
  assert.ok(grey.height > 2 * 30 && grey.width < 60, 'one column, no captions');
});

test('plotImageGallery: wrong inputs say what was expected and what was received', async () => {
  const path = join(folder, 'never.png');
  const images = tensor(new Uint8Array(2 * 4 * 4), [2, 4, 4]);
  const cases: [unknown, object, RegExp][] = [
    [tensor(new Uint8Array(8), [2, 4]), {},
      /plotImageGallery: 'images' must have shape \(N, H, W\), \(N, H, W, 1\) or \(N, H, W, 3\).*received shape \(2, 4\)/],
    [tensor(new Uint8Array(64), [2, 4, 4, 2]), {}, /received shape \(2, 4, 4, 2\)/],
    [tensor(new Float32Array(32).fill(2), [2, 4, 4]), {},
      /'images' must hold floats in \[0, 1\] \(the Keras\/matplotlib convention.*received float32 values in \[2, 2\]\. Divide/],
    [tensor(new Int32Array(32).fill(300), [2, 4, 4]), {},
      /'images' must hold integers in 0\.\.255 .*received int32 values in \[300, 300\]/],
    [tensor(new Uint8Array(32), [2, 4, 4], 'bool'), {}, /'images' must be uint8, int32 or float32; received bool/],
    [images, { labels: [1, 2, 3] }, /'labels' must have one label per image \(2\); received 3 labels/],
    [images, { labels: [1, 2.5] }, /'labels' must hold class indices \(integers >= 0\); received 2\.5 at position 1/],
    [images, { labels: [1, 7], labelMap: ['a', 'b', 'c'] },
      /'labelMap' must name every label; it has no name for label 7 \(it names 3 classes: 0, 1, 2\)/],
    [images, { rows: 0 }, /'rows' must be a positive integer; received 0/],
    [images, { valueRange: [1, 1] }, /'valueRange' must be \[low, high\] with high > low; received \[1, 1\]/],
    [new Uint8Array(32), {}, /'images' must have shape .*received shape \(32,\)/],
  ];
  for (const [input, options, message] of cases) {
    await assert.rejects(plotImageGallery(input as Uint8Array, { path, ...options }), message);
  }
});
