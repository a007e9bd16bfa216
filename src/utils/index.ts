/** keras.utils */
export { setRandomSeed } from '../random/seed_generator.js';
export { clearSession } from './clear_session.js';
export { Progbar } from './progbar.js';
export { normalize, toCategorical } from './numerical_utils.js';
export { getFile } from './file_utils.js';
export { imageDatasetFromDirectory, ImageDataset, type ImageDatasetOptions, type LabelMode } from './image_dataset_utils.js';
export { imgToArray, loadImg, type ColorMode, type Img, type LoadImgOptions } from './image_utils.js';
