/** The CIFAR-100 small images classification dataset. Mirrors keras/src/datasets/cifar100.py. */
import { loadCifar } from './cifar.js';
import type { Splits } from './idx.js';

export interface Cifar100Options {
  /** `'fine'` (the 100 classes) or `'coarse'` (the 20 superclasses). Default: `'fine'`. */
  labelMode?: 'fine' | 'coarse';
}

/**
 * Loads the CIFAR100 dataset.
 *
 * This is a dataset of 50,000 32x32 color training images and 10,000 test images, labeled over 100
 * fine-grained classes that are grouped into 20 coarse-grained classes. See more info at the
 * [CIFAR homepage](https://www.cs.toronto.edu/~kriz/cifar.html).
 *
 * The data is read from Keras's cache (`~/.keras/datasets` or `$KERAS_HOME/datasets`:
 * `cifar-100-python-target/cifar-100-python/` as Keras 3 extracts it, or `cifar-100-python/` as
 * Keras 2 did, or the archive Keras downloaded), else downloaded from Keras's URL into that cache,
 * its sha256 checked, and extracted.
 *
 * Args:
 *   labelMode: one of `'fine'`, `'coarse'`. If it is `'fine'`, the category labels are the
 *     fine-grained labels, and if it is `'coarse'`, the output labels are the coarse-grained
 *     superclasses.
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors: `xTrain` (50000, 32, 32, 3) and `xTest`
 *   (10000, 32, 32, 3) of pixel values from 0 to 255 (channels last), `yTrain` (50000, 1) and
 *   `yTest` (10000, 1) of labels from 0 to 99 (fine) or 0 to 19 (coarse).
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.cifar100.loadData({ labelMode: 'coarse' });
 * xTrain.shape;   // [50000, 32, 32, 3]
 * yTest.shape;    // [10000, 1]
 * ```
 */
export async function loadData({ labelMode = 'fine' }: Cifar100Options = {}): Promise<Splits> {
  if (labelMode !== 'fine' && labelMode !== 'coarse') {
    throw new Error(`\`label_mode\` must be one of "fine", "coarse". Received: label_mode=${labelMode as string}.`);
  }
  return loadCifar(
    {
      dataset: 'CIFAR-100',
      fname: 'cifar-100-python-target',
      folder: 'cifar-100-python',
      archive: 'cifar-100-python.tar.gz',
      fileHash: '85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7', // Keras: cifar100.py
      train: ['train'],
      test: 'test',
    },
    `${labelMode}_labels`,
  );
}
