/** The Fashion-MNIST dataset. Mirrors keras/src/datasets/fashion_mnist.py. */
import { dirname } from 'node:path';
import { cachePaths, getFile } from '../utils/file_utils.js';
import { FILES } from './fashion_mnist_files.js';
import { loadIdxSplits, type Splits } from './idx.js';
import { filesIn, locateDataset, locations } from './sources.js';

const CACHE_SUBDIR = 'datasets/fashion-mnist';

/**
 * Loads the Fashion-MNIST dataset.
 *
 * This is a dataset of 60,000 28x28 grayscale images of 10 fashion categories, along with a test
 * set of 10,000 images. This dataset can be used as a drop-in replacement for MNIST.
 *
 * The classes are: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
 * 7 Sneaker, 8 Bag, 9 Ankle boot.
 *
 * The data is read from Keras's cache (the gzipped IDX files in `~/.keras/datasets/fashion-mnist`
 * or `$KERAS_HOME/datasets/fashion-mnist`, as Python Keras downloads them), else from Debian's
 * package dataset-fashion-mnist (`/usr/share/datasets/fashion-mnist`), else downloaded from
 * Keras's URLs into that cache.
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors: `xTrain` (60000, 28, 28) and `xTest`
 *   (10000, 28, 28) of pixel values from 0 to 255, `yTrain` (60000,) and `yTest` (10000,) of
 *   labels from 0 to 9.
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.fashionMnist.loadData();
 * xTrain.shape;   // [60000, 28, 28]
 * yTest.shape;    // [10000]
 * ```
 *
 * License: The copyright for Fashion-MNIST is held by Zalando SE. Fashion-MNIST is licensed under
 * the [MIT license](https://github.com/zalandoresearch/fashion-mnist/blob/master/LICENSE).
 */
export async function loadData(): Promise<Splits> {
  const cached = FILES.map((file) => cachePaths(file, { cacheSubdir: CACHE_SUBDIR }).downloadTarget);
  const cacheFolder = dirname(cached[0]);
  const paths = await locateDataset(
    'Fashion-MNIST',
    [
      { where: `Keras's cache: ${cacheFolder}`, locate: async () => filesIn(cacheFolder, FILES) },
      {
        where: `Debian's dataset-fashion-mnist: ${locations.fashionMnist}`,
        locate: async () => filesIn(locations.fashionMnist, FILES),
      },
      {
        where: `download from ${locations.kerasOrigin}`,
        locate: async () => {
          const paths = [];
          // One after the other, as Keras does: a failure stops the rest before they start.
          for (const file of FILES) {
            paths.push(await getFile(file, locations.kerasOrigin + file, { cacheSubdir: CACHE_SUBDIR }));
          }
          return paths;
        },
      },
    ],
    `To use Fashion-MNIST offline, put ${FILES.join(', ')} (from ${locations.kerasOrigin}) in ${cacheFolder}, ` +
      'or install the Debian package dataset-fashion-mnist.',
  );
  return loadIdxSplits(paths);
}
