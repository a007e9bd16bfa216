/** keras.models */
export { Model } from './model.js';
export type { FunctionalArgs, ModelOptions } from './model.js';
export { Sequential } from './sequential.js';
export { loadModel } from '../saving/index.js';
