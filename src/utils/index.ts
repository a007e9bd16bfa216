/** keras.utils */
export * from './common.js';
export { getFile } from './file_utils.js';
export { imageDatasetFromDirectory, ImageDataset, type ImageDatasetOptions, type LabelMode } from './image_dataset_utils.js';
export { imgToArray, loadImg, type ColorMode, type Img, type LoadImgOptions } from './image_utils.js';
