import { formatShape } from '../backend/tensor.js';
import { fail } from '../ops/checks.js';
import {
  checkPath, extent, labelNames, readArray, readClassIndices, type ArrayInput, type ArrayView, type LabelMap,
} from './inputs.js';
import { embedPixels, writeSvgAsPng } from './render.js';
import { svgDocument, text, textWidth } from './svg.js';

export interface PlotImageGalleryOptions {
  /** The PNG file to write (its folder is created when missing). */
  path: string;
  /** One class per image, shown as its caption: shape (N,) of class indices, or (N, C) one-hot rows or scores. */
  labels?: ArrayInput;
  /** The class names captions show instead of the indices, e.g. CIFAR-10's `['airplane', 'automobile', ...]`. */
  labelMap?: LabelMap;
  /** Grid rows (default: enough for the images in `cols` columns). */
  rows?: number;
  /** Grid columns (default: about the square root of the number of images). */
  cols?: number;
  /** Screen pixels per image pixel, nearest neighbour (default: images at least 96 pixels across). */
  scale?: number;
  /**
   * The values that map to black and white, e.g. `[-1, 1]`; values outside are clipped. By
   * default uint8 and int32 images are 0..255 and float images must lie in [0, 1].
   */
  valueRange?: readonly [number, number];
  /** The images' shape when `images` is a typed array, e.g. `[8, 32, 32, 3]`. */
  shape?: readonly number[];
}

const FN = 'plotImageGallery';
const GAP = 10;
const CAPTION = 22;

function positiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    fail(FN, `'${name}' must be a positive integer; received ${value}`);
  }
}

/** The 8-bit pixels of `count` images of `size` values each, by the rule `valueRange` describes. */
function toBytes(images: ArrayView, count: number, size: number, valueRange?: readonly [number, number]): Uint8Array {
  const { values, dtype } = images;
  const bytes = new Uint8Array(count * size);
  if (valueRange) {
    const [low, high] = valueRange;
    if (!(high > low)) fail(FN, `'valueRange' must be [low, high] with high > low; received [${valueRange.join(', ')}]`);
    const unit = (v: number): number => Math.min(1, Math.max(0, (v - low) / (high - low)));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(unit(values[i]) * 255);
    return bytes;
  }
  if (dtype === 'bool') fail(FN, `'images' must be uint8, int32 or float32; received bool`);
  const [low, high] = dtype === 'float32' ? [0, 1] : [0, 255];
  const [min, max] = extent(values, bytes.length);
  if (!(min >= low && max <= high)) {
    fail(FN, `'images' must hold ${dtype === 'float32' ? 'floats in [0, 1]' : 'integers in 0..255'} ` +
      `(the Keras/matplotlib convention: float images are intensities in [0, 1], integer images 0..255); ` +
      `received ${dtype} values in [${min}, ${max}]. Divide by 255 or pass valueRange, e.g. [${min}, ${max}]`);
  }
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round((values[i] / high) * 255);
  return bytes;
}

/**
 * Plots a batch of images as a grid, each with its class name as a caption.
 *
 * Grey images are drawn with black at 0 and white at the top of the range (not stretched to
 * each image's own minimum and maximum); colour images are RGB. Each image pixel becomes a
 * `scale` x `scale` square, so 28x28 digits stay crisp.
 *
 * Args:
 *   images: shape (N, H, W), (N, H, W, 1) or (N, H, W, 3); uint8 (or int32) in 0..255, or
 *     float in [0, 1], or any values with `valueRange`.
 *   options: `path` (required), `labels`, `labelMap`, `rows`, `cols`, `scale`, `valueRange`, `shape`.
 *
 * Returns:
 *   A promise that resolves once the PNG is written.
 *
 * Example:
 *
 * ```ts
 * const classNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
 * await keras.visualization.plotImageGallery(xTrain.slice(0, 8), {  // (8, 32, 32, 3) uint8
 *   labels: yTrain.slice(0, 8), labelMap: classNames, rows: 2, cols: 4, path: 'cifar10.png',
 * });
 * ```
 */
export async function plotImageGallery(images: ArrayInput, options: PlotImageGalleryOptions): Promise<void> {
  checkPath(FN, options?.path);
  const view = readArray(FN, 'images', images, options.shape);
  const [n, height, width, channels = 1] = view.shape;
  if (view.shape.length < 3 || view.shape.length > 4 || (channels !== 1 && channels !== 3) || n * height * width === 0) {
    fail(FN, `'images' must have shape (N, H, W), (N, H, W, 1) or (N, H, W, 3) with N, H, W > 0; ` +
      `received shape ${formatShape(view.shape)}`);
  }
  let captions: string[] | undefined;
  if (options.labels !== undefined) {
    const labels = readClassIndices(FN, 'labels', options.labels);
    if (labels.length !== n) fail(FN, `'labels' must have one label per image (${n}); received ${labels.length} labels`);
    captions = labelNames(FN, labels, options.labelMap);
  }
  const { rows: rowsOption, cols: colsOption } = options;
  positiveInteger('rows', rowsOption);
  positiveInteger('cols', colsOption);
  const cols = colsOption ?? (rowsOption ? Math.ceil(n / rowsOption) : Math.ceil(Math.sqrt(n)));
  const rows = rowsOption ?? Math.ceil(n / cols);
  const scale = options.scale ?? Math.max(1, Math.ceil(96 / Math.max(height, width)));
  positiveInteger('scale', scale);

  const shown = Math.min(n, rows * cols);
  const size = height * width * channels;
  const bytes = toBytes(view, shown, size, options.valueRange);
  const cellWidth = Math.max(width * scale, ...(captions ?? []).slice(0, shown).map((c) => textWidth(c, 13) + 4));
  const cellHeight = height * scale + (captions ? CAPTION : 0);
  const elements: string[] = [];
  for (let i = 0; i < shown; i++) {
    const left = GAP + (i % cols) * (cellWidth + GAP);
    const top = GAP + Math.floor(i / cols) * (cellHeight + GAP);
    const x = left + Math.floor((cellWidth - width * scale) / 2);
    elements.push(await embedPixels(bytes.subarray(i * size, (i + 1) * size), width, height, channels, x, top, scale));
    if (captions) elements.push(text(left + cellWidth / 2, top + height * scale + 16, captions[i], { anchor: 'middle' }));
  }
  const document = svgDocument(GAP + cols * (cellWidth + GAP), GAP + rows * (cellHeight + GAP), elements);
  await writeSvgAsPng(document, options.path);
}
