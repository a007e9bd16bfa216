/** The examples are programs: run the quick one as a user would and check what it prints. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'node:test';

const example = (name: string): string => fileURLToPath(new URL(`./examples/${name}.js`, import.meta.url));

test('cnn_basics prints the tutorial model\'s summary and predicts one image', () => {
  const out = execFileSync(process.execPath, [example('cnn_basics')], { encoding: 'utf8', env: { ...process.env, COLUMNS: '200' } });
  assert.match(out, /│ conv2d \(Conv2D\) +│ \(None, 222, 221, 32\) +│ +896 │/);
  assert.match(out, / Total params: 9,680,067 \(36\.93 MB\)/);
  assert.match(out, /\[ 1, 3 \]/);
});
