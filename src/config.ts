/** keras.config */
import { kernels } from './backend/engine.js';

/** The engine every op runs on, e.g. 'wasm relaxed-simd, 2 threads' (keras.config.backend()). */
export function backend(): string {
  return kernels().name;
}
