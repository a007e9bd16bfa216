import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { History } from '../callbacks/history.js';
import { plotHistory } from './plot_history.js';
import { decodePng, scratchFolder, type DecodedPng } from './test_png.js';

const folder = scratchFolder();
const BLUE = [0x1f, 0x77, 0xb4];
const ORANGE = [0xff, 0x7f, 0x0e];

/** The mean row of the pixels of exactly `color` in columns [x0, x1), and how many there are. */
function rowsOf(png: DecodedPng, color: number[], x0: number, x1: number): { count: number; meanY: number } {
  let count = 0;
  let sumY = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = x0; x < x1; x++) {
      if (png.rgb(x, y).every((v, i) => v === color[i])) {
        count++;
        sumY += y;
      }
    }
  }
  return { count, meanY: sumY / count };
}

test('plotHistory: a chart per metric with train and validation lines, axes, legend and title', async () => {
  const history = new History();
  const logs = [[1.2, 0.52, 1.0, 0.6], [0.7, 0.78, 0.8, 0.7], [0.5, 0.85, 0.7, 0.74], [0.4, 0.9, 0.72, 0.75]];
  logs.forEach(([loss, accuracy, valLoss, valAccuracy], epoch) =>
    history.onEpochEnd(epoch, { loss, accuracy, val_loss: valLoss, val_accuracy: valAccuracy }));
  const path = join(folder, 'history.png');
  await plotHistory(history, { path });
  const png = await decodePng(path);
  assert.deepEqual([png.width, png.height], [880, 330], 'two panels: loss and accuracy');
  for (const [x, y] of [[1, 1], [439, 329], [879, 1]]) assert.deepEqual(png.rgb(x, y), [255, 255, 255]);
  for (const panel of [0, 440]) {
    assert.ok(png.ink(panel, 0, panel + 440, 34) > 200, 'a title');
    assert.ok(png.ink(panel, 300, panel + 440, 330) > 50, 'the x label');
    assert.ok(png.ink(panel, 40, panel + 30, 280) > 50, 'the y label');
    assert.ok(png.ink(panel + 30, 40, panel + 70, 280) > 50, 'y tick labels');
  }
  // Loss falls: its training line is lower (larger y) in the right half of the plot than in the left.
  const early = rowsOf(png, BLUE, 72, 160);
  const late = rowsOf(png, BLUE, 330, 424);
  assert.ok(early.count > 20 && late.count > 20);
  assert.ok(late.meanY > early.meanY + 50, `${early.meanY} -> ${late.meanY}`);
  // Accuracy rises.
  assert.ok(rowsOf(png, BLUE, 440 + 330, 440 + 424).meanY < rowsOf(png, BLUE, 440 + 72, 440 + 160).meanY - 50);
  assert.ok(rowsOf(png, ORANGE, 0, 440).count > 100, 'a validation line');
  assert.ok(rowsOf(png, ORANGE, 440, 880).count > 100);
});

test('plotHistory: chosen metrics, a plain record, one epoch, a NaN loss', async () => {
  const path = join(folder, 'history_loss.png');
  await plotHistory({ loss: [0.9, NaN, 0.3], accuracy: [0.1, 0.2, 0.3] }, { path, metrics: ['loss'] });
  const png = await decodePng(path);
  assert.deepEqual([png.width, png.height], [440, 330]);
  assert.ok(rowsOf(png, BLUE, 0, 440).count > 20);
  assert.equal(rowsOf(png, ORANGE, 0, 440).count, 0, 'no validation values, no validation line');
  await plotHistory({ loss: [0.5] }, { path: join(folder, 'history_one_epoch.png') });
  // fit logs the metrics before the loss; the loss chart still comes first (its lines fall to the right).
  const ordered = join(folder, 'history_order.png');
  await plotHistory({ accuracy: [0.1, 0.9], loss: [2, 1] }, { path: ordered });
  const both = await decodePng(ordered);
  assert.ok(rowsOf(both, BLUE, 330, 424).meanY > rowsOf(both, BLUE, 72, 160).meanY + 50, 'loss on the left');
});

test('plotHistory: wrong inputs say what was expected and what was received', async () => {
  const path = join(folder, 'never.png');
  await assert.rejects(plotHistory({}, { path }),
    /plotHistory: 'metrics' must name at least one metric the history recorded \(none\); received no metrics: fit/);
  await assert.rejects(plotHistory({ loss: [1], val_loss: [2] }, { path, metrics: ['loss', 'acc'] }),
    /plotHistory: 'metrics' must name at least one metric the history recorded \(loss\); received 'acc'/);
  await assert.rejects(plotHistory([] as never, { path }), /'history' must be a History .*; received an array/);
  await assert.rejects(plotHistory({ loss: ['a'] } as never, { path }), /'loss' holds a/);
  await assert.rejects(plotHistory({ loss: [1] }, undefined as never), /'path' must be the PNG file to write/);
});
