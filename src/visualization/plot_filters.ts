import { formatShape } from '../backend/tensor.js';
import { fail } from '../ops/checks.js';
import { checkPath, extent, readArray, type ArrayInput } from './inputs.js';
import { embedPixels, writeSvgAsPng } from './render.js';
import { rect, svgDocument, text, textWidth } from './svg.js';

export interface PlotFiltersOptions {
  /** The PNG file to write (its folder is created when missing). */
  path: string;
  /** How many filters to show, from the first (default 6, as the tutorial shows, or all when fewer). */
  count?: number;
  /** The kernel's shape `(kh, kw, in, out)` when `kernel` is a typed array. */
  shape?: readonly number[];
  /** Pixels per kernel value (default: about 48 pixels across a filter). */
  scale?: number;
  /** The title (default: which filters are shown, e.g. `First 6 of 32 filters`). */
  title?: string;
}

const FN = 'plotFilters';
const GAP = 8;
const MARGIN = 12;

/** "-0.3102" -> "-0.31": three significant digits for the legend. */
function short(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * Plots the filters of a convolution kernel as a grid of grey images: one row per filter and
 * one column per input channel.
 *
 * The whole kernel is normalized to [0, 1] as the tutorials do,
 * `(kernel - kernel.min()) / (kernel.max() - kernel.min())`, so black is the kernel's smallest
 * weight and white its largest in every cell, and cells compare with each other (a constant
 * kernel is drawn mid-grey).
 *
 * Args:
 *   kernel: a Conv2D kernel of shape `(kh, kw, in, out)` (Keras's layout), e.g.
 *     `layer.getWeights()[0]` or the layer's `kernel` variable.
 *   options: `path` (required), `count`, `shape`, `scale`, `title`.
 *
 * Returns:
 *   A promise that resolves once the PNG is written.
 *
 * Example:
 *
 * ```ts
 * const [kernel] = model.layers[0].getWeights();   // (5, 5, 1, 32)
 * await keras.visualization.plotFilters(kernel, {count: 6, path: 'filters.png'});
 * ```
 */
export async function plotFilters(kernel: ArrayInput, options: PlotFiltersOptions): Promise<void> {
  checkPath(FN, options?.path);
  const { values, shape } = readArray(FN, 'kernel', kernel, options.shape);
  if (shape.length !== 4 || shape.some((d) => d === 0)) {
    fail(FN, `'kernel' must be a non-empty rank-4 kernel of shape (kh, kw, in, out); ` +
      `received shape ${formatShape(shape)}`);
  }
  const [kh, kw, channels, filters] = shape;
  const count = options.count ?? Math.min(6, filters);
  if (!Number.isInteger(count) || count < 1 || count > filters) {
    fail(FN, `'count' must be an integer from 1 to ${filters} (the kernel's filters); received ${count}`);
  }
  const scale = options.scale ?? Math.max(1, Math.round(48 / Math.max(kh, kw)));
  if (!Number.isInteger(scale) || scale < 1) fail(FN, `'scale' must be a positive integer; received ${scale}`);

  const [min, max] = extent(values);
  const grey = (v: number): number => (max > min ? Math.round(((v - min) / (max - min)) * 255) : 128);

  const title = options.title ?? (count === filters ? `${filters} filters` : `First ${count} of ${filters} filters`);
  const header = (c: number): string => `channel ${c}`;
  const cellWidth = Math.max(kw * scale, textWidth(header(channels - 1), 12));
  const labelWidth = textWidth(`filter ${count - 1}`, 13) + GAP;
  const top = MARGIN + 24 + 20;
  const gridWidth = labelWidth + channels * (cellWidth + GAP);
  const width = Math.max(MARGIN * 2 + gridWidth, textWidth(title, 16) + 2 * MARGIN);
  const height = top + count * (kh * scale + GAP) + 28;

  const elements = [text(width / 2, MARGIN + 16, title, { size: 16, anchor: 'middle', bold: true })];
  const left = Math.floor((width - gridWidth) / 2) + labelWidth;
  for (let c = 0; c < channels; c++) {
    elements.push(text(left + c * (cellWidth + GAP) + cellWidth / 2, top - 8, header(c), { size: 12, anchor: 'middle' }));
  }
  for (let f = 0; f < count; f++) {
    const y = top + f * (kh * scale + GAP);
    elements.push(text(left - GAP, y + (kh * scale) / 2, `filter ${f}`, { anchor: 'end', baseline: 'middle' }));
    for (let c = 0; c < channels; c++) {
      const pixels = new Uint8Array(kh * kw);
      for (let i = 0; i < kh * kw; i++) pixels[i] = grey(values[(i * channels + c) * filters + f]);
      const x = left + c * (cellWidth + GAP) + Math.floor((cellWidth - kw * scale) / 2);
      elements.push(rect(x - 1, y - 1, kw * scale + 2, kh * scale + 2, 'none', '#999'));
      elements.push(await embedPixels(pixels, kw, kh, 1, x, y, scale));
    }
  }
  elements.push(text(MARGIN, height - 10, `black = ${short(min)}, white = ${short(max)}`, { size: 11, fill: '#555' }));
  await writeSvgAsPng(svgDocument(width, height, elements), options.path);
}
