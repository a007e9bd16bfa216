/** `keras.datasets` in browsers: the same arrays as in Node, downloaded from URLs. */
export * as fashionMnist from './fashion_mnist.js';
export * as mnist from './mnist.js';
