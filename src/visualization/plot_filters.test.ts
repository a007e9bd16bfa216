import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { convertToTensor as tensor } from '../ops/core.js';
import { plotFilters } from './plot_filters.js';
import { decodePng, findSquare, scratchFolder } from './test_png.js';

const folder = scratchFolder();

/** A (3, 3, 2, 2) kernel in HWIO order: each (channel, filter) cell holds one value, except one weight. */
function kernel(cells: number[][]): Float32Array {
  const values = new Float32Array(3 * 3 * 2 * 2);
  for (let i = 0; i < 9; i++) {
    for (let c = 0; c < 2; c++) for (let f = 0; f < 2; f++) values[(i * 2 + c) * 2 + f] = cells[f][c];
  }
  return values;
}

test('plotFilters: one row per filter, one column per channel, normalized over the whole kernel', async () => {
  // filter 0: channel 0 = -1 (the kernel's min, black), channel 1 = 0 (mid grey 128);
  // filter 1: channel 0 = -0.5 (64), channel 1 = 0.5 (191) except its first weight, the max 1 (white).
  const values = kernel([[-1, 0], [-0.5, 0.5]]);
  values[(0 * 2 + 1) * 2 + 1] = 1;
  const path = join(folder, 'filters.png');
  await plotFilters(tensor(values, [3, 3, 2, 2]), { path, scale: 10 });
  const png = await decodePng(path);
  assert.equal(png.channels, 3);
  assert.ok(png.width > 60 && png.width < 400 && png.height > 60 && png.height < 400, `${png.width}x${png.height}`);
  const black = findSquare(png, [0, 0, 0], 30);
  const mid = findSquare(png, [128, 128, 128], 30);
  const dark = findSquare(png, [64, 64, 64], 30);
  assert.ok(black && mid && dark, 'each constant cell is a solid 30x30 square (3x3 values at scale 10)');
  assert.equal(mid[1], black[1], 'channel 1 of filter 0 sits beside channel 0');
  assert.ok(mid[0] > black[0] + 30);
  assert.equal(dark[0], black[0], 'filter 1 sits below filter 0');
  assert.ok(dark[1] > black[1] + 30);
  assert.deepEqual(png.rgb(mid[0] + 5, dark[1] + 5), [255, 255, 255], 'the max weight is white');
  assert.deepEqual(png.rgb(mid[0] + 15, dark[1] + 15), [191, 191, 191]);
  assert.deepEqual(png.rgb(1, 1), [255, 255, 255], 'white background');
  assert.deepEqual(png.rgb(png.width - 2, png.height - 2), [255, 255, 255]);
  assert.ok(png.ink(0, 0, png.width, 30) > 100, 'a title');
  assert.ok(png.ink(0, black[1], black[0] - 2, black[1] + 30) > 50, 'row labels');
  assert.ok(png.ink(0, png.height - 25, png.width, png.height) > 50, 'the black/white legend');
});

test('plotFilters: shows the first six filters by default, fewer or more on request', async () => {
  const values = Float32Array.from({ length: 5 * 5 * 1 * 10 }, (_, i) => Math.sin(i));
  const heights: number[] = [];
  for (const count of [undefined, 2, 10]) {
    const path = join(folder, `filters_${count}.png`);
    await plotFilters(values, { path, count, shape: [5, 5, 1, 10] });
    heights.push((await decodePng(path)).height);
  }
  const row = (heights[0] - heights[1]) / 4;
  assert.ok(row > 40, `a row is a 5x5 filter at about 48 px: ${heights}`);
  assert.equal(heights[2] - heights[0], 4 * row);
});

test('plotFilters: wrong inputs name the function, the argument, the expectation and what was received', async () => {
  const path = join(folder, 'never.png');
  const cases: [unknown, object, RegExp][] = [
    [tensor(new Float32Array(18), [3, 3, 2]), { path },
      /plotFilters: 'kernel' must be .*rank-4 .*\(kh, kw, in, out\); received shape \(3, 3, 2\)$/],
    [new Float32Array(36), { path }, /'kernel' must be .*rank-4.*received shape \(36,\)/],
    [new Float32Array(36), { path, shape: [3, 3, 2, 3] },
      /'kernel' has 36 values, which do not fill the given shape \(3, 3, 2, 3\)/],
    ['weights', { path }, /'kernel' must be a Tensor, a Variable, a typed array or an array of numbers; received string/],
    [new Float32Array(36), { path, shape: [3, 3, 1, 4], count: 5 }, /'count' must be an integer from 1 to 4 .*received 5/],
    [new Float32Array(36), { path, shape: [3, 3, 1, 4], scale: 0.5 }, /'scale' must be a positive integer; received 0.5/],
    [new Float32Array(36), { shape: [3, 3, 1, 4] }, /plotFilters: 'path' must be the PNG file to write; received undefined/],
  ];
  for (const [input, options, message] of cases) {
    await assert.rejects(plotFilters(input as Float32Array, options as { path: string }), message);
  }
});
