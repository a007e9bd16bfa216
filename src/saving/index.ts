/** keras.saving: model and weights files in Keras's formats, and Keras's object serialization. */
export { loadModel, loadWeights, saveModel, saveWeights } from './saving_api.js';
export type { LoadWeightsOptions } from './saving_api.js';
export type { LoadModelOptions, ModelSource } from './saving_lib.js';
export { deserializeKerasObject, serializeKerasObject } from './serialization_lib.js';
