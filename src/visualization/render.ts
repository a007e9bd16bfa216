/** Turning pixels and SVG into PNG: embedded images as data URIs, the document rendered by sharp. */

import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadSharp } from '../utils/load_sharp.js';

/**
 * An SVG `<image>` showing raw 8-bit pixels (row-major, `channels` values per pixel) at
 * (`x`, `y`), each pixel drawn as a `scale` x `scale` square (nearest neighbour, so small
 * images stay crisp).
 */
export async function embedPixels(
  pixels: Uint8Array, width: number, height: number, channels: 1 | 3, x: number, y: number, scale: number,
): Promise<string> {
  const sharp = await loadSharp();
  const png = await sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
  return `<image x="${x}" y="${y}" width="${width * scale}" height="${height * scale}" preserveAspectRatio="none" ` +
    `style="image-rendering:pixelated" href="data:image/png;base64,${png.toString('base64')}"/>`;
}

/**
 * Renders `svg` to an RGB PNG at `path`, creating its folder. The PNG goes to a temporary file
 * beside the target first and is renamed into place, so `path` never holds a half-written file.
 */
export async function writeSvgAsPng(svg: string, path: string): Promise<void> {
  const sharp = await loadSharp();
  const png = await sharp(Buffer.from(svg), { density: 72 }).flatten({ background: '#fff' }).png().toBuffer();
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await writeFile(temporary, png);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
