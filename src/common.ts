/**
 * The part of keras-ts that runs the same in Node and in browsers. `index.ts` (Node) and
 * `browser.ts` (the browser bundle) add the namespaces that differ: files, images and dataset
 * caches on disk in Node, URLs and downloads in browsers.
 */
import './backend/tensor_methods.js';
export { Tensor } from './backend/tensor.js';
export type { IndexSpec } from './backend/tensor_methods.js';
export type { DType, NestedArray, Shape, TypedArray } from './backend/tensor.js';
export { convertToTensor as tensor } from './ops/core.js';
export { Model, Sequential, loadModel } from './models/index.js';
export { Input } from './layers/core/input_layer.js';
export type { CompileOptions } from './trainers/compile.js';
export type { EvaluateOptions, FitOptions, PredictOptions } from './trainers/trainer.js';
export type { Dataset } from './trainers/data.js';
export type { SummaryOptions } from './utils/summary.js';
export * as ops from './ops/index.js';
export * as layers from './layers/index.js';
export * as models from './models/index.js';
export * as activations from './activations/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as optimizers from './optimizers/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as callbacks from './callbacks/index.js';
export * as saving from './saving/index.js';
export * as random from './random/index.js';
export * as config from './config.js';
