import { resetUids } from './naming.js';

/**
 * Resets the state Keras keeps between models: generated layer names start again at
 * 'conv2d', 'dense', ... (keras.utils.clear_session).
 */
export function clearSession(): void {
  resetUids();
}
