/** keras.utils */
export { setRandomSeed } from '../random/seed_generator.js';
