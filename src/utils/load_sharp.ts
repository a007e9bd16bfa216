/**
 * sharp, imported on first use: it loads libvips, which costs about 70 ms and 25 MB of resident
 * memory at start-up in every program, though only pictures and image files need it.
 */
import type sharpModule from 'sharp';

let loading: Promise<typeof sharpModule> | null = null;

export function loadSharp(): Promise<typeof sharpModule> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
