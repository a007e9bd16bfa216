/** The Fashion-MNIST dataset in browsers. Mirrors keras/src/datasets/fashion_mnist.py. */
import { fetchBytes } from '../../utils/web_io.js';
import { FILES } from '../fashion_mnist_files.js';
import { gunzipIfGzipped, loadIdxSplits, type Splits } from '../idx.js';

/**
 * Loads the Fashion-MNIST dataset from a folder URL.
 *
 * This is a dataset of 60,000 28x28 grayscale images of 10 fashion categories, along with a test
 * set of 10,000 images: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
 * 7 Sneaker, 8 Bag, 9 Ankle boot. The folder holds Keras's four gzipped IDX files
 * (`train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`,
 * `t10k-labels-idx1-ubyte.gz`, from
 * https://storage.googleapis.com/tensorflow/tf-keras-datasets/), usually on the page's own server.
 *
 * Args:
 *   folder: URL of the folder, relative to the page. Default: `'fashion-mnist/'`.
 *
 * Returns:
 *   `[[xTrain, yTrain], [xTest, yTest]]`, uint8 tensors of shapes (N, 28, 28) and (N,).
 *
 * Example:
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.fashionMnist.loadData('data/fashion-mnist/');
 * ```
 *
 * License: The copyright for Fashion-MNIST is held by Zalando SE. Fashion-MNIST is licensed under
 * the [MIT license](https://github.com/zalandoresearch/fashion-mnist/blob/master/LICENSE).
 */
export async function loadData(folder = 'fashion-mnist/'): Promise<Splits> {
  const base = new URL(folder.endsWith('/') ? folder : `${folder}/`, globalThis.location?.href);
  const urls = FILES.map((file) => new URL(file, base).href);
  return loadIdxSplits(urls, async (url) => gunzipIfGzipped(await fetchBytes(url), url));
}
