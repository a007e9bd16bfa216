/**
 * keras-ts: the Keras API in TypeScript, on a WebAssembly SIMD engine with worker threads.
 *
 *   import * as keras from 'keras-ts';
 *   const x = keras.tensor([[1, 2], [3, 4]]);
 *   keras.ops.matmul(x, x).toArray();   // [[7, 10], [15, 22]]
 */
export { Tensor } from './backend/tensor.js';
export type { DType, NestedArray, Shape, TypedArray } from './backend/tensor.js';
export { convertToTensor as tensor } from './ops/core.js';
export * as ops from './ops/index.js';
export * as random from './random/index.js';
export * as utils from './utils/index.js';
export * as config from './config.js';
