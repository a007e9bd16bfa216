/** keras.callbacks */
export { Callback } from './callback.js';
export type { CallbackModel, CallbackParams, Logs } from './callback.js';
export { CallbackList } from './callback_list.js';
export type { CallbackListOptions } from './callback_list.js';
export { History } from './history.js';
export { ProgbarLogger } from './progbar_logger.js';
export type { ProgbarLoggerOptions } from './progbar_logger.js';
