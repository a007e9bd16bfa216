/** Keras's Fashion-MNIST file names (fashion_mnist.py has no hashes for them), in the order loadIdxSplits reads them. */
export const FILES = [
  'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
] as const;
