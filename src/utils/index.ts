/** keras.utils */
export { setRandomSeed } from '../random/seed_generator.js';
export { clearSession } from './clear_session.js';
export { Progbar } from './progbar.js';
export { normalize, toCategorical } from './numerical_utils.js';
export { getFile } from './file_utils.js';
