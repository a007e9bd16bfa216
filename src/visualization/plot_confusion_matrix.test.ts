import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { convertToTensor as tensor } from '../ops/core.js';
import { plotConfusionMatrix } from './plot_confusion_matrix.js';
import { decodePng, findSquare, scratchFolder } from './test_png.js';

const folder = scratchFolder();
// 4 cats right, 1 cat called a dog, 2 dogs right, 1 bird called a cat, 2 birds right.
const Y_TRUE = [0, 0, 0, 0, 0, 1, 1, 2, 2, 2];
const Y_PRED = [0, 0, 0, 0, 1, 1, 1, 0, 2, 2];

test('plotConfusionMatrix: counts in cells, darker for more, class names on both axes', async () => {
  const path = join(folder, 'confusion.png');
  await plotConfusionMatrix(Y_TRUE, tensor(new Int32Array(Y_PRED)), { path, labelMap: ['cat', 'dog', 'bird'] });
  const png = await decodePng(path);
  const darkest = findSquare(png, [8, 48, 107], 12);
  assert.ok(darkest, 'the largest count (4 cats) is the darkest blue');
  let cell = 0;
  while (png.rgb(darkest[0] + cell, darkest[1]).join() === '8,48,107') cell++;
  assert.equal(cell, 56, 'three classes get 56-pixel cells');
  const at = (row: number, col: number): number[] => png.rgb(darkest[0] + col * cell + 3, darkest[1] + row * cell + 3);
  assert.deepEqual(at(1, 0), [247, 251, 255], 'no dog was called a cat: the palest blue');
  const [one, two] = [at(0, 1), at(1, 1)];
  assert.ok(one[0] > two[0] && two[0] > 8, `a count of 1 is paler than 2: ${one} ${two}`);
  assert.deepEqual(at(2, 0), one, 'equal counts, equal colours');
  let white = 0;
  for (let dy = 18; dy < 38; dy++) {
    for (let dx = 18; dx < 38; dx++) if (png.rgb(darkest[0] + dx, darkest[1] + dy)[0] > 200) white++;
  }
  assert.ok(white > 10, 'the count is written in white on the dark cell');
  assert.ok(png.ink(0, darkest[1], darkest[0] - 2, darkest[1] + 3 * cell) > 100, 'true class names');
  assert.ok(png.ink(darkest[0], darkest[1] + 3 * cell + 2, darkest[0] + 3 * cell, png.height) > 100, 'predicted names');
  assert.ok(png.ink(0, 0, png.width, darkest[1] - 4) > 100, 'a title');
  assert.deepEqual(png.rgb(0, png.height - 1), [255, 255, 255]);
  assert.deepEqual(png.rgb(png.width - 1, 0), [255, 255, 255]);
});

test('plotConfusionMatrix: scores and one-hot rows give the same picture as indices', async () => {
  const oneHot = (labels: number[]): number[][] => labels.map((l) => [0, 1, 2].map((c) => (c === l ? 0.9 : 0.05)));
  const [a, b] = [join(folder, 'confusion_indices.png'), join(folder, 'confusion_scores.png')];
  await plotConfusionMatrix(Y_TRUE, Y_PRED, { path: a });
  await plotConfusionMatrix(tensor(oneHot(Y_TRUE)), tensor(oneHot(Y_PRED)), { path: b });
  const [pa, pb] = [await decodePng(a), await decodePng(b)];
  assert.deepEqual([pa.width, pa.height], [pb.width, pb.height]);
  assert.ok(findSquare(pb, [8, 48, 107], 12));
  assert.equal(pa.ink(0, 0, pa.width, pa.height), pb.ink(0, 0, pb.width, pb.height));
});

test('plotConfusionMatrix: long class names are slanted; wrong inputs are explained', async () => {
  const path = join(folder, 'confusion_long.png');
  const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  const yTrue = Array.from({ length: 200 }, (_, i) => i % 10);
  await plotConfusionMatrix(yTrue, yTrue.map((t, i) => (i % 7 === 0 ? (t + 3) % 10 : t)), { path, labelMap: names });
  const png = await decodePng(path);
  assert.ok(png.width < 700 && png.height < 700, `${png.width}x${png.height}`);

  await assert.rejects(plotConfusionMatrix([0, 1], [0], { path }),
    /plotConfusionMatrix: 'yTrue' and 'yPred' must hold one class per example each; received 2 and 1/);
  await assert.rejects(plotConfusionMatrix([0, 3], [0, 1], { path, labelMap: ['a', 'b'] }),
    /plotConfusionMatrix: 'labelMap' must name every label; it has no name for label 2/);
  await assert.rejects(plotConfusionMatrix([0, -1], [0, 1], { path }),
    /'yTrue' must hold class indices .*received -1 at position 1/);
  await assert.rejects(plotConfusionMatrix(tensor(new Float32Array(8), [2, 2, 2]), [0, 1], { path }),
    /'yTrue' must have shape \(N,\) of class indices or \(N, C\) of scores; received shape \(2, 2, 2\)/);
  await assert.rejects(plotConfusionMatrix([], [], { path }), /'yTrue' must hold at least one example/);
});
