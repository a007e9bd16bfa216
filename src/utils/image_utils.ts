/**
 * Reading images: `loadImg`, `imgToArray`, and the decoding and resizing `imageDatasetFromDirectory`
 * uses. Mirrors keras/src/utils/image_utils.py, with sharp (libvips) in PIL's place and a small
 * decoder of our own for BMP, which sharp's prebuilt libvips does not read.
 */
import { readFile } from 'node:fs/promises';
import { loadSharp } from './load_sharp.js';
import { Tensor } from '../backend/tensor.js';

export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

/**
 * A decoded image, what Keras's `load_img` returns as a PIL Image: 8-bit pixels, row by row, with
 * 1 (grayscale, PIL's "L"), 3 ("RGB") or 4 ("RGBA") interleaved channels.
 */
export interface Img {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export interface LoadImgOptions {
  /** Keras default 'rgb'. */
  colorMode?: ColorMode;
  /** `[height, width]`, or null (the default) for the file's own size. */
  targetSize?: [number, number] | null;
  /** Keras default 'nearest'; used only when the image must be resized. */
  interpolation?: 'nearest' | 'bilinear' | 'bicubic' | 'lanczos';
  /** Crop the centre to the target's aspect ratio before resizing (Keras default false). */
  keepAspectRatio?: boolean;
}

const CHANNELS = { grayscale: 1, rgb: 3, rgba: 4 } as const;

// The resampling kernels of sharp closest to PIL's filters (Keras's PIL_INTERPOLATION_METHODS).
const SHARP_KERNELS = { nearest: 'nearest', bilinear: 'linear', bicubic: 'cubic', lanczos: 'lanczos3' } as const;

/** Channels for a color mode, or Keras's error. */
export function colorModeChannels(colorMode: string): 1 | 3 | 4 {
  const channels = CHANNELS[colorMode as ColorMode];
  if (!channels) throw new Error(`\`color_mode\` must be one of {"rgb", "rgba", "grayscale"}. Received: color_mode=${colorMode}`);
  return channels;
}

/**
 * Loads an image file (JPEG, PNG, BMP, GIF's first frame, WebP, TIFF) into an `Img`.
 *
 * As Keras's `load_img`, which returns a PIL Image: the pixels stay 8-bit, converted to the color
 * mode (grayscale with PIL's ITU-R 601-2 luma, alpha dropped for 'rgb'), and resized with sharp
 * only when `targetSize` differs from the file's size. Like PIL, sharp's bilinear and bicubic
 * filters smooth when they shrink, so results are close to Keras's but not bit-identical.
 *
 * Args:
 *   path: the image file.
 *   options: `colorMode`, `targetSize` (`[height, width]`), `interpolation`, `keepAspectRatio`.
 *
 * Returns:
 *   A promise of the `Img`; `keras.utils.imgToArray` turns it into a float32 tensor.
 *
 * Example:
 * ```ts
 * const image = await keras.utils.loadImg('cat.jpg', {targetSize: [224, 224]});
 * const input = keras.utils.imgToArray(image).reshape([1, 224, 224, 3]);  // a batch of one
 * const predictions = await model.predict(input);
 * ```
 */
export async function loadImg(path: string, options: LoadImgOptions = {}): Promise<Img> {
  const { targetSize = null, interpolation = 'nearest', keepAspectRatio = false } = options;
  const img = await readImage(path, colorModeChannels(options.colorMode ?? 'rgb'));
  if (!targetSize || (targetSize[0] === img.height && targetSize[1] === img.width)) return img;
  const kernel = SHARP_KERNELS[interpolation];
  if (!kernel) {
    throw new Error(`Invalid interpolation method ${interpolation} specified. Supported methods are ` +
      `${Object.keys(SHARP_KERNELS).join(', ')}`);
  }
  const [height, width] = targetSize;
  // Keras: image_utils.py load_img's crop box, the largest centred window with the target's aspect ratio.
  const cropHeight = keepAspectRatio ? Math.min(img.height, Math.floor((img.width * height) / width)) : img.height;
  const cropWidth = keepAspectRatio ? Math.min(img.width, Math.floor((img.height * width) / height)) : img.width;
  const sharp = await loadSharp();
  const { data, info } = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .extract({
      left: Math.floor((img.width - cropWidth) / 2), top: Math.floor((img.height - cropHeight) / 2),
      width: cropWidth, height: cropHeight,
    })
    .resize(width, height, { fit: 'fill', kernel })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: img.channels, data: new Uint8Array(data) };
}

/**
 * Converts an `Img` (from `loadImg`) to a float32 tensor of shape `[height, width, channels]`,
 * Keras's `img_to_array` in channels_last; the pixel values stay in [0, 255].
 *
 * Example:
 * ```ts
 * const x = keras.utils.imgToArray(await keras.utils.loadImg('digit.png', {colorMode: 'grayscale'}));
 * x.shape;  // [28, 28, 1]
 * ```
 */
export function imgToArray(img: Img): Tensor {
  return new Tensor(Float32Array.from(img.data), [img.height, img.width, img.channels], 'float32');
}

/** An image file decoded to 8 bits with `channels` channels; failures name the file. */
export async function readImage(path: string, channels: 1 | 3 | 4): Promise<Img> {
  let rgba: { data: Uint8Array; width: number; height: number };
  try {
    const bytes = await readFile(path);
    rgba = bytes[0] === 0x42 && bytes[1] === 0x4d ? decodeBmp(bytes) : await decodeWithSharp(bytes);
  } catch (e) {
    throw new Error(`Could not read the image file ${path}: ${(e as Error).message}`);
  }
  return { width: rgba.width, height: rgba.height, channels, data: fromRgba(rgba.data, channels) };
}

async function decodeWithSharp(bytes: Buffer): Promise<{ data: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(bytes).toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** RGBA pixels in 1, 3 or 4 channels: alpha dropped, grayscale by PIL's convert("L") luma. */
function fromRgba(rgba: Uint8Array, channels: 1 | 3 | 4): Uint8Array {
  if (channels === 4) return rgba;
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
    if (channels === 1) out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;  // PIL: L = R*299/1000 + G*587/1000 + B*114/1000
    else out.set([r, g, b], 3 * i);
  }
  return out;
}

/**
 * Uncompressed Windows bitmaps (BI_RGB or BI_BITFIELDS; 1, 4, 8, 24 or 32 bits per pixel) to RGBA.
 * 32-bit pixels are opaque unless the header gives an alpha mask, as PIL reads them.
 */
function decodeBmp(bytes: Buffer): { data: Uint8Array; width: number; height: number } {
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize < 40) throw new Error(`unsupported BMP header of ${headerSize} bytes (OS/2 bitmaps are not read)`);
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const height = Math.abs(rawHeight);
  const bits = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  if (![0, 3, 6].includes(compression) || ![1, 4, 8, 24, 32].includes(bits)) {
    throw new Error(`unsupported BMP: compression ${compression} with ${bits} bits per pixel`);
  }
  const masks = compression === 0 ? [0xff0000, 0xff00, 0xff, 0] : [54, 58, 62, 66].map((at) =>
    at + 4 <= 14 + headerSize || at < 66 ? bytes.readUInt32LE(at) : 0);
  const palette = bytes.subarray(14 + headerSize);
  const stride = Math.ceil((bits * width) / 32) * 4;
  const start = bytes.readUInt32LE(10);
  if (start + stride * height > bytes.length) throw new Error('the BMP file is truncated');
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = start + stride * (rawHeight > 0 ? height - 1 - y : y);  // positive height: bottom-up rows
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      if (bits <= 8) {
        const index = (bytes[row + ((x * bits) >> 3)] >> (8 - bits - ((x * bits) & 7))) & ((1 << bits) - 1);
        out.set([palette[4 * index + 2], palette[4 * index + 1], palette[4 * index], 255], o);
      } else if (bits === 24) {
        out.set([bytes[row + 3 * x + 2], bytes[row + 3 * x + 1], bytes[row + 3 * x], 255], o);
      } else {
        const pixel = bytes.readUInt32LE(row + 4 * x);
        out.set(masks.map((mask, c) => (mask ? channelValue(pixel, mask) : c === 3 ? 255 : 0)), o);
      }
    }
  }
  return { data: out, width, height };
}

/** The bits of `pixel` under `mask`, scaled to 0-255. */
function channelValue(pixel: number, mask: number): number {
  const shift = Math.log2(mask & -mask);
  const max = mask >>> shift;
  return Math.round((((pixel & mask) >>> shift) * 255) / max);
}

export type ResizeInterpolation = 'bilinear' | 'nearest';

/**
 * tf.image.resize (half-pixel centres, no antialiasing), what Keras's image_dataset_from_directory
 * resizes with, on one `[height, width, channels]` image given as float32 values. With `crop`, the
 * largest centred window of the target's aspect ratio is resized instead (Keras's smart_resize).
 */
export function resizeImage(src: Float32Array, [height, width, channels]: number[], [outHeight, outWidth]: number[],
  interpolation: ResizeInterpolation, crop = false): Float32Array {
  // Keras: image_utils.py smart_resize's crop window.
  const cropHeight = crop ? Math.max(Math.min(height, Math.trunc((width * outHeight) / outWidth)), 1) : height;
  const cropWidth = crop ? Math.max(Math.min(width, Math.trunc((height * outWidth) / outHeight)), 1) : width;
  const top = Math.trunc((height - cropHeight) / 2);
  const left = Math.trunc((width - cropWidth) / 2);
  const ys = sampleAxis(cropHeight, outHeight, interpolation);
  const xs = sampleAxis(cropWidth, outWidth, interpolation);
  const out = new Float32Array(outHeight * outWidth * channels);
  const at = (y: number, x: number, c: number) => src[((top + y) * width + left + x) * channels + c];
  for (let i = 0; i < outHeight; i++) {
    const [y0, y1, fy] = ys[i];
    for (let j = 0; j < outWidth; j++) {
      const [x0, x1, fx] = xs[j];
      for (let c = 0; c < channels; c++) {
        const topValue = at(y0, x0, c) + (at(y0, x1, c) - at(y0, x0, c)) * fx;
        const bottomValue = at(y1, x0, c) + (at(y1, x1, c) - at(y1, x0, c)) * fx;
        out[(i * outWidth + j) * channels + c] = topValue + (bottomValue - topValue) * fy;
      }
    }
  }
  return out;
}

/** For each output index: the two source indices and the weight of the second (TensorFlow's resize kernels). */
function sampleAxis(inSize: number, outSize: number, interpolation: ResizeInterpolation): [number, number, number][] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    if (interpolation === 'nearest') {
      const index = Math.min(Math.floor((i + 0.5) * scale), inSize - 1);
      return [index, index, 0];
    }
    const position = (i + 0.5) * scale - 0.5;
    const lower = Math.floor(position);
    return [Math.max(lower, 0), Math.min(Math.ceil(position), inSize - 1), position - lower];
  });
}
