/** What CIFAR-10 and CIFAR-100 share: finding the batches and reading them. Mirrors keras/src/datasets/cifar.py. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tensor } from '../backend/tensor.js';
import { cachePaths, extractArchive } from '../utils/file_utils.js';
import type { Splits } from './idx.js';
import { PickledArray, unpickle } from './pickle.js';
import { cachedFile, download, filesIn, locateDataset, locations } from './sources.js';

/** Where Keras keeps one CIFAR dataset. */
export interface CifarFiles {
  dataset: string;
  /** Keras's `get_file` fname: the archive is `<fname>_archive`, extracted into the folder `<fname>`. */
  fname: string;
  /** The folder inside the archive. Keras 2 extracted it straight into `~/.keras/datasets`. */
  folder: string;
  /** The archive's name at `locations.cifarOrigin`. */
  archive: string;
  /** Keras's sha256 of the archive. */
  fileHash: string;
  train: string[];
  test: string;
}

const IMAGE_SIZE = 32 * 32 * 3;

/**
 * The CIFAR splits with the labels under `labelKey`: images (N, 32, 32, 3), channels last as Keras
 * transposes them, and labels (N, 1), all uint8.
 */
export async function loadCifar(files: CifarFiles, labelKey: string): Promise<Splits> {
  const batches = [...files.train, files.test];
  const { downloadTarget, extractionDir } = cachePaths(files.fname, { extract: true });
  const extracted = [join(extractionDir!, files.folder), cachePaths(files.folder).downloadTarget];
  const options = { fileHash: files.fileHash, extract: true };
  const archive = cachedFile(files.fname, options);
  const origin = locations.cifarOrigin + files.archive;
  const afterExtraction = async (dir: string | null) =>
    dir === null ? null : filesIn(join(dir, files.folder), batches);
  const paths = await locateDataset(
    files.dataset,
    [
      {
        where: `Keras's cache: ${extracted.join(' or ')}`,
        locate: async () => extracted.map((dir) => filesIn(dir, batches)).find((found) => found !== null) ?? null,
      },
      {
        where: archive.where,
        locate: async () => {
          const found = await archive.locate();
          if (found !== null) await extractArchive(found, extractionDir!);
          return afterExtraction(found === null ? null : extractionDir);
        },
      },
      {
        where: `download from ${origin}`,
        locate: async () => afterExtraction(await download(files.fname, origin, options).locate()),
      },
    ],
    `To use ${files.dataset} offline, put ${files.archive} (from ${origin}) at ${downloadTarget}, ` +
      `or extract it into ${extractionDir}.`,
  );
  const read = (batch: string[]) => Promise.all(batch.map((path) => loadBatch(path, labelKey)));
  const [train, test] = await Promise.all([read(paths.slice(0, -1)), read(paths.slice(-1))]);
  return [stack(train), stack(test)];
}

/** One CIFAR batch: its images (N, 3072) in CHW order and their labels. */
interface Batch {
  path: string;
  data: Uint8Array;
  labels: number[];
}

/** Reads a CIFAR batch, a pickled dict with `data` (a uint8 array N x 3072) and the labels under `labelKey`. */
export async function loadBatch(path: string, labelKey = 'labels'): Promise<Batch> {
  const buffer = await readFile(path);
  const dict = unpickle(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
  const fail: (what: string) => never = (what) => {
    throw new Error(`${path} is not a CIFAR batch: ${what}`);
  };
  if (!(dict instanceof Map)) fail('the pickle does not hold a dict');
  const data = dict.get('data');
  const labels = dict.get(labelKey);
  if (!(data instanceof PickledArray) || data.shape.length !== 2 || data.shape[1] !== IMAGE_SIZE) {
    fail(`'data' is not a uint8 array of shape (N, ${IMAGE_SIZE})`);
  }
  const isLabel = (l: unknown) => Number.isInteger(l) && (l as number) >= 0 && (l as number) < 256;
  if (!Array.isArray(labels) || !labels.every(isLabel)) {
    fail(`'${labelKey}' is not a list of labels from 0 to 255 (keys: ${[...dict.keys()].join(', ')})`);
  }
  if (labels.length !== data.shape[0]) fail(`${data.shape[0]} images but ${labels.length} labels`);
  return { path, data: data.data, labels: labels as number[] };
}

/** The batches' images in one (N, 32, 32, 3) tensor, moved from CHW to HWC, and their labels as (N, 1). */
function stack(batches: Batch[]): [Tensor, Tensor] {
  const count = batches.reduce((n, b) => n + b.labels.length, 0);
  const images = new Uint8Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  const pixels = IMAGE_SIZE / 3;
  let n = 0;
  for (const batch of batches) {
    for (let i = 0; i < batch.labels.length; i++, n++) {
      const src = batch.data.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
      const dst = images.subarray(n * IMAGE_SIZE, (n + 1) * IMAGE_SIZE);
      for (let c = 0; c < 3; c++) for (let p = 0; p < pixels; p++) dst[p * 3 + c] = src[c * pixels + p];
      labels[n] = batch.labels[i];
    }
  }
  return [new Tensor(images, [count, 32, 32, 3], 'uint8'), new Tensor(labels, [count, 1], 'uint8')];
}
