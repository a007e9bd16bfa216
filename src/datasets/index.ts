/** `keras.datasets`: the small datasets of keras/src/datasets, as uint8 tensors. */
export * as mnist from './mnist.js';
export * as fashionMnist from './fashion_mnist.js';
export * as cifar10 from './cifar10.js';
export * as cifar100 from './cifar100.js';
