/** The keras.utils that run anywhere; index.ts adds the ones that read the disk (Node). */
export { setRandomSeed } from '../random/seed_generator.js';
export { clearSession } from './clear_session.js';
export { Progbar } from './progbar.js';
export { normalize, toCategorical } from './numerical_utils.js';
export { TextScreen } from './text_screen.js';
