import assert from 'node:assert/strict';
import test from 'node:test';
import { Progbar } from './progbar.js';
import { TextScreen } from './text_screen.js';

test("TextScreen shows what a terminal shows of Keras's progress bar: redraws in place, colours dropped", () => {
  const finished: string[] = [];
  const screen = new TextScreen((line) => finished.push(line));
  let now = 0;
  const bar = new Progbar(3, { now: () => now, write: (text) => screen.write(text), dynamicDisplay: true, interval: 0 });
  for (const step of [1, 2]) {
    now += 1;
    bar.update(step, [['loss', 1 / step]]);
  }
  assert.equal(screen.toString(), `2/3 ${'━'.repeat(20)} 1s 1s/step - loss: 0.7500`);
  assert.deepEqual(finished, []);
  now += 1;
  bar.update(3, [['loss', 0.25]]);
  assert.equal(finished.length, 1);
  assert.match(finished[0], /^3\/3 ━{20} 3s 1s\/step - loss: 0\.25\d*$/);
  assert.deepEqual(screen.lines, finished);
});

test('TextScreen keeps at most `keep` finished lines, and a shorter redraw overwrites only its own columns', () => {
  const screen = new TextScreen(undefined, 1);
  screen.write('one\ntwo\nthree\nabcdef\rXY');
  assert.deepEqual(screen.lines, ['three']);
  assert.equal(screen.toString(), 'three\nXYcdef');
  screen.write('\b\bZ');
  assert.equal(screen.toString(), 'three\nZYcdef');
});
