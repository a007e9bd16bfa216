import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSvgAsPng } from './render.js';
import { svgDocument } from './svg.js';
import { decodePng, scratchFolder } from './test_png.js';

test('writeSvgAsPng: creates the folder, replaces the file whole, leaves no temporary file', async () => {
  const folder = join(scratchFolder(), 'nested', 'twice');
  const path = join(folder, 'picture.png');
  await writeSvgAsPng(svgDocument(30, 20, []), path);
  assert.deepEqual(readdirSync(folder), ['picture.png']);
  const png = await decodePng(path);
  assert.deepEqual([png.width, png.height, png.channels], [30, 20, 3]);
  const before = readFileSync(path);
  await assert.rejects(writeSvgAsPng('<svg', path));
  assert.deepEqual(readFileSync(path), before, 'a failed render leaves the old picture');
  assert.deepEqual(readdirSync(folder), ['picture.png']);
});
