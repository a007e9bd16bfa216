/** The CIFAR-10 small images classification dataset. Mirrors keras/src/datasets/cifar10.py. */
import { loadCifar } from './cifar.js';
import type { Splits } from './idx.js';

/**
 * Loads the CIFAR10 dataset.
 *
 * This is a dataset of 50,000 32x32 color training images and 10,000 test images, labeled over 10
 * categories. See more info at the [CIFAR homepage](https://www.cs.toronto.edu/~kriz/cifar.html).
 *
 * The classes are: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse,
 * 8 ship, 9 truck.
 *
 * The batches are read from Keras's cache (`~/.keras/datasets` or `$KERAS_HOME/datasets`:
 * `cifar-10-batches-py-target/cifar-10-batches-py/` as Keras 3 extracts them, or
 * `cifar-10-batches-py/` as Keras 2 did, or the archive Keras downloaded), else downloaded from
 * Keras's URL into that cache, its sha256 checked, and extracted.
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors: `xTrain` (50000, 32, 32, 3) and `xTest`
 *   (10000, 32, 32, 3) of pixel values from 0 to 255 (channels last), `yTrain` (50000, 1) and
 *   `yTest` (10000, 1) of labels from 0 to 9.
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.cifar10.loadData();
 * xTrain.shape;   // [50000, 32, 32, 3]
 * yTrain.shape;   // [50000, 1]
 * ```
 *
 * Note: The CIFAR-10 dataset is known to have a small percentage of mislabeled samples, which is
 * inherent to the original dataset.
 */
export async function loadData(): Promise<Splits> {
  return loadCifar(
    {
      dataset: 'CIFAR-10',
      fname: 'cifar-10-batches-py-target',
      folder: 'cifar-10-batches-py',
      archive: 'cifar-10-python.tar.gz',
      fileHash: '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce', // Keras: cifar10.py
      train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`),
      test: 'test_batch',
    },
    'labels',
  );
}
