/** keras.random */
export { dropout, normal, truncatedNormal, uniform } from './random.js';
export type { NormalOptions, UniformOptions } from './random.js';
