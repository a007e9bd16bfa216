/** What the visualization tests share: a scratch folder and a decoded view of a written PNG. */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

/** A fresh folder for one test file's PNGs; `VIS_KEEP=folder` writes them there instead to look at. */
export function scratchFolder(): string {
  return process.env.VIS_KEEP ?? mkdtempSync(join(tmpdir(), 'keras-ts-vis-'));
}

export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  /** The [r, g, b] of the pixel at column `x`, row `y`. */
  rgb(x: number, y: number): [number, number, number];
  /** How many pixels in columns [x0, x1) and rows [y0, y1) are not white. */
  ink(x0: number, y0: number, x1: number, y1: number): number;
}

export async function decodePng(path: string): Promise<DecodedPng> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const rgb = (x: number, y: number): [number, number, number] => {
    const i = (y * width + x) * channels;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const ink = (x0: number, y0: number, x1: number, y1: number): number => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (rgb(x, y).some((v) => v < 250)) n++;
    return n;
  };
  return { width, height, channels, rgb, ink };
}

/**
 * The top-left corner of the first `size` x `size` square whose pixels are all `rgb` (scanning
 * rows from the top), or undefined: where an embedded image or a filled cell drew a solid area.
 */
export function findSquare(png: DecodedPng, rgb: readonly number[], size: number): [number, number] | undefined {
  const is = (x: number, y: number): boolean => png.rgb(x, y).every((v, i) => v === rgb[i]);
  for (let y = 0; y + size <= png.height; y++) {
    for (let x = 0; x + size <= png.width; x++) {
      if (!is(x, y)) continue;
      let solid = true;
      for (let dy = 0; dy < size && solid; dy++) for (let dx = 0; dx < size && solid; dx++) solid = is(x + dx, y + dy);
      if (solid) return [x, y];
    }
  }
  return undefined;
}
