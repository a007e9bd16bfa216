/**
 * keras-ts: the Keras API in TypeScript, on a WebAssembly SIMD engine with worker threads.
 *
 *   import * as keras from 'keras-ts';
 *   const x = keras.tensor([[1, 2], [3, 4]]);
 *   keras.ops.matmul(x, x).toArray();   // [[7, 10], [15, 22]]
 *
 * This is the Node entry: `common.ts` plus what reads and writes the disk. Browsers load
 * `browser.ts` (bundled as dist/browser/keras.js).
 */
export * from './common.js';
export * as applications from './applications/index.js';
export * as datasets from './datasets/index.js';
export * as visualization from './visualization/index.js';
export * as utils from './utils/index.js';
