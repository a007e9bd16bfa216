/**
 * Reading IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian magic number 0x000008NN (unsigned bytes, NN dimensions), the dimensions as
 * big-endian uint32, then the values.
 */
import { gunzipSync } from 'fflate';
import { Tensor } from '../backend/tensor.js';

/** The train and test splits as Keras returns them: `[[xTrain, yTrain], [xTest, yTest]]`. */
export type Splits = [[Tensor, Tensor], [Tensor, Tensor]];

/** A file's bytes, gunzipped when it is gzipped (by its magic bytes). */
export async function readBytes(path: string): Promise<Uint8Array> {
  // Imported here, not at the top, so that browsers (which fetch the files instead) can load this module.
  const { readFile } = await import('node:fs/promises');
  const buffer = await readFile(path);
  return gunzipIfGzipped(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
}

/** `bytes` gunzipped if they start with gzip's magic bytes, else `bytes` itself; `file` names them in errors. */
export function gunzipIfGzipped(bytes: Uint8Array, file: string): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${file} is not a valid gzip file: ${(e as Error).message}`);
  }
}

/** The uint8 tensor in an IDX file's bytes, a view into `bytes`. `file` names it in errors. */
export function parseIdx(bytes: Uint8Array, file: string): Tensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.length >= 4 ? view.getUint32(0) : -1;
  const rank = magic & 0xff;
  if (magic >>> 8 !== 0x08 || rank === 0) {
    const found = magic < 0 ? `only ${bytes.length} bytes` : `0x${magic.toString(16).padStart(8, '0')}`;
    throw new Error(
      `${file} is not an IDX file of unsigned bytes: bad magic number ${found} ` +
        '(expected 0x00000801 for labels or 0x00000803 for images)',
    );
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new Error(`${file} is truncated: its IDX header needs ${headerLength} bytes`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerLength + size) {
    throw new Error(
      `${file} has the wrong length: its header says shape (${shape.join(', ')}), ${size} values, ` +
        `but it holds ${bytes.length - headerLength}`,
    );
  }
  return new Tensor(bytes.subarray(headerLength), shape, 'uint8');
}

/**
 * MNIST-style splits from four IDX files (plain or gzipped), in Keras's order: train images,
 * train labels, test images, test labels. `read` gives a file's (gunzipped) bytes: from the
 * disk by default, from URLs in browsers.
 */
export async function loadIdxSplits(paths: readonly string[], read: (path: string) => Promise<Uint8Array> = readBytes): Promise<Splits> {
  const [xTrain, yTrain, xTest, yTest] = await Promise.all(paths.map(async (p) => parseIdx(await read(p), p)));
  checkPair(xTrain, yTrain, paths[0], paths[1]);
  checkPair(xTest, yTest, paths[2], paths[3]);
  return [[xTrain, yTrain], [xTest, yTest]];
}

function checkPair(images: Tensor, labels: Tensor, imagesFile: string, labelsFile: string): void {
  if (images.rank !== 3 || labels.rank !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `${imagesFile} and ${labelsFile} do not match: expected images (N, rows, cols) and labels (N,), ` +
        `found (${images.shape.join(', ')}) and (${labels.shape.join(', ')})`,
    );
  }
}
