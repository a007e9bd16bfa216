/** keras.losses: the Loss classes, the loss functions, and lookup by name. */
export { Loss, reduceWeightedValues, squeezeOrExpandToSameRank, standardizeReduction } from './loss.js';
export type { LossOptions, Reduction } from './loss.js';
export { LossFunctionWrapper } from './loss_function_wrapper.js';
export { BinaryCrossentropy } from './binary_crossentropy.js';
export { CategoricalCrossentropy } from './categorical_crossentropy.js';
export { SparseCategoricalCrossentropy } from './sparse_categorical_crossentropy.js';
export { MeanSquaredError } from './mean_squared_error.js';
export { MeanAbsoluteError } from './mean_absolute_error.js';
export {
  binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, sparseCategoricalCrossentropy,
} from './losses.js';
export type {
  BinaryCrossentropyOptions, CategoricalCrossentropyOptions, LossFunction, SparseCategoricalCrossentropyOptions,
} from './losses.js';
export { meanAbsoluteError as mae, meanSquaredError as mse } from './losses.js';
export { deserialize, get, serialize } from './registry.js';
export { getCompileLoss, isBinaryOrSparseCategorical } from './compile_utils.js';
export type { MaybeShape } from './compile_utils.js';
export type { LossIdentifier } from './registry.js';
