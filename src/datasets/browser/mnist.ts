/** The MNIST handwritten digits dataset in browsers. Mirrors keras/src/datasets/mnist.py. */
import { fetchBytes } from '../../utils/web_io.js';
import type { Splits } from '../idx.js';
import { npzSplits, parseNpz } from '../npz.js';

/**
 * Loads the MNIST dataset from a URL.
 *
 * This is a dataset of 60,000 28x28 grayscale images of the 10 digits, along with a test set of
 * 10,000 images. A page has no Keras cache and usually may not read another site, so the file
 * comes from the page's own server: Keras's `mnist.npz` (from
 * https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz), or any `.npz` with the
 * same four arrays (`x_train`, `y_train`, `x_test`, `y_test`), such as a smaller sample.
 *
 * Args:
 *   path: URL of the `.npz` file, relative to the page. Default: `'mnist.npz'`, beside the page.
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors of shapes (N, 28, 28) and (N,).
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData('data/mnist.npz');
 * ```
 */
export async function loadData(path = 'mnist.npz'): Promise<Splits> {
  return npzSplits(parseNpz(await fetchBytes(path), path), path);
}
